import Foundation
import Hummingbird
import SwitchyardStore

/// `POST /api/v1/environments`.
struct EnvironmentCreation: Decodable {
    let name: String
}

/// The admin API's view of an environment.
struct EnvironmentView: ResponseEncodable {
    let name: String
    let createdAt: String

    init(_ environment: SwitchyardStore.Environment) {
        name = environment.name
        createdAt = environment.createdAt.apiText
    }
}

/// `GET /api/v1/environments`.
struct EnvironmentList: ResponseEncodable {
    let environments: [EnvironmentView]
}
