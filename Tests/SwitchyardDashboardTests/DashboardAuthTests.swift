import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchyardCore
import SwitchyardDashboard
@testable import SwitchyardServer
import SwitchyardTestSupport
import Testing

@Suite struct DashboardAuthTests {
    @Test func signedOutPagesRedirectToSignInAndComeBackAfter() async throws {
        let test = try await TestServer.dashboard()
        try await test.application().test(.router) { client in
            let root = try await client.execute(uri: "/", method: .get)
            #expect(root.status == .seeOther)
            #expect(root.headers[.location] == "/ui/flags")
            let page = try await client.execute(uri: "/ui/flags/ai-summary?env=production", method: .get)
            #expect(page.status == .seeOther)
            let location = try #require(page.headers[.location])
            #expect(location.hasPrefix("/ui/sign-in?next="))
            let form = try await client.execute(uri: location, method: .get)
            #expect(form.status == .ok)
            #expect(form.text.contains(#"<label for="key">Admin key</label>"#))
            #expect(form.text.contains(#"value="/ui/flags/ai-summary?env=production""#), "the sign-in form remembers the page")
            var browser = Browser()
            let signedIn = try await browser.signIn(client, key: test.admin, next: "/ui/flags/ai-summary?env=production")
            #expect(signedIn.headers[.location] == "/ui/flags/ai-summary?env=production")
            var stranger = Browser()
            let elsewhere = try await stranger.signIn(client, key: test.admin, next: "//evil.example/")
            #expect(elsewhere.headers[.location] == "/ui/flags", "no redirect to another site")
        }
    }

    @Test func theSessionCookieIsHttpOnlyStrictAndSecureOverTLS() async throws {
        let test = try await TestServer.dashboard()
        try await test.application().test(.router) { client in
            let plain = try await Browser().post(client, "/ui/sign-in", form: "key=\(Browser.encode(test.admin))")
            let cookie = try #require(plain.headers[.setCookie])
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(!cookie.contains("Secure"))
            #expect(!(plain.headers[.location] ?? "").contains(test.admin), "the key is never in a URL")
            let proxied = try await Browser().post(
                client, "/ui/sign-in", form: "key=\(Browser.encode(test.admin))", headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(try #require(proxied.headers[.setCookie]).contains("Secure"))
        }
    }

    @Test func aWrongKeyIsRefused() async throws {
        let test = try await TestServer.dashboard()
        try await test.application().test(.router) { client in
            var browser = Browser()
            let response = try await browser.signIn(client, key: "sy_admin_wrong")
            #expect(response.status == .unauthorized)
            #expect(response.headers[.setCookie] == nil)
            #expect(response.text.contains("This key is not valid"))
            #expect(try await browser.get(client, "/ui/flags").status == .seeOther)
        }
    }

    @Test func anSDKKeyCannotSignIn() async throws {
        let test = try await TestServer.dashboard()
        try await test.application().test(.router) { client in
            var browser = Browser()
            let response = try await browser.signIn(client, key: test.sdk)
            #expect(response.status == .forbidden)
            #expect(response.headers[.setCookie] == nil)
            #expect(response.text.contains("is an SDK key"))
            #expect(try await browser.get(client, "/ui/flags").status == .seeOther)
        }
    }

    @Test func sessionsExpireAfterTheIdleTimeout() async throws {
        let test = try await TestServer.dashboard(idleTimeout: .seconds(3600))
        try await test.application().test(.router) { client in
            var browser = Browser()
            try await browser.signIn(client, key: test.admin)
            test.clock.advance(by: 3000)
            #expect(try await browser.get(client, "/ui/flags").status == .ok, "used within the hour")
            test.clock.advance(by: 3000)
            #expect(try await browser.get(client, "/ui/flags").status == .ok, "idle time counts from the last use")
            test.clock.advance(by: 3601)
            let expired = try await browser.get(client, "/ui/flags")
            #expect(expired.status == .seeOther)
            #expect(expired.headers[.location]?.hasPrefix("/ui/sign-in") == true)
        }
    }

    @Test func sessionsAreBoundedInNumber() async throws {
        let test = try await TestServer.dashboard(maximumSessions: 2)
        try await test.application().test(.router) { client in
            var first = Browser()
            try await first.signIn(client, key: test.admin)
            test.clock.advance(by: 1)
            for _ in 0..<5 {
                var other = Browser()
                try await other.signIn(client, key: test.admin)
                test.clock.advance(by: 1)
            }
            #expect(test.server.dashboard.sessionCount == 2)
            #expect(try await first.get(client, "/ui/flags").status == .seeOther, "the least recently used session ended")
        }
    }

    @Test func signOutEndsTheSession() async throws {
        let test = try await TestServer.dashboard()
        try await test.application().test(.router) { client in
            var browser = Browser()
            try await browser.signIn(client, key: test.admin)
            let csrf = try await browser.csrf(client)
            let out = try await browser.post(client, "/ui/sign-out", form: "csrf=\(csrf)")
            #expect(out.status == .seeOther)
            #expect(out.headers[.setCookie]?.contains("Max-Age=0") == true)
            #expect(try await browser.get(client, "/ui/flags").status == .seeOther)
        }
    }

    @Test func revokingTheAdminKeyEndsItsSessions() async throws {
        let test = try await TestServer.dashboard()
        try await test.application().test(.router) { client in
            var browser = Browser()
            try await browser.signIn(client, key: test.admin)
            #expect(try await browser.get(client, "/ui/flags").status == .ok)
            let other = try await client.send(.post, "/api/v1/keys", key: test.admin, json: ["kind": "admin", "name": "second"])
            let second = try #require(try other.json["key"]?.stringValue)
            #expect(try await client.send(.delete, "/api/v1/keys/\(test.adminID)", key: second).status == .ok)
            #expect(try await browser.get(client, "/ui/flags").status == .seeOther)
        }
    }

    @Test func formsWithoutTheCSRFTokenAreRefused() async throws {
        let test = try await TestServer.dashboard()
        try await test.withSeededSession { client, browser in
            let missing = try await browser.post(client, "/ui/flags/ai-summary/kill?env=production", form: "reason=forged&confirm=yes")
            #expect(missing.status == .forbidden)
            #expect(missing.text.contains("CSRF token"))
            let wrong = try await browser.post(client, "/ui/flags/ai-summary/kill?env=production", form: "csrf=0000&reason=forged&confirm=yes")
            #expect(wrong.status == .forbidden)
            let other = try await browser.post(client, "/ui/sign-out", form: "csrf=nope")
            #expect(other.status == .forbidden)
            let flag = try await client.send(.get, "/api/v1/flags/ai-summary", key: test.admin)
            #expect(try flag.json["kill"] == nil, "nothing was killed")
            #expect(try await browser.get(client, "/ui/flags").status == .ok, "still signed in")
        }
    }

    @Test func formsFromAnotherSiteAreRefused() async throws {
        let test = try await TestServer.dashboard()
        try await test.application().test(.router) { client in
            // The router test client sends every request to `localhost`.
            let foreign: HTTPFields = [.origin: "http://evil.example"]
            let signIn = try await Browser().post(client, "/ui/sign-in", form: "key=\(Browser.encode(test.admin))", headers: foreign)
            #expect(signIn.status == .forbidden)
            #expect(signIn.headers[.setCookie] == nil)
            let local: HTTPFields = [.origin: "http://localhost"]
            var browser = Browser()
            let signedIn = try await browser.post(client, "/ui/sign-in", form: "key=\(Browser.encode(test.admin))", headers: local)
            #expect(signedIn.status == .seeOther)
            browser.cookie = signedIn.headers[.setCookie].flatMap(Browser.cookieValue)
            try await test.seed(client)
            let csrf = try await browser.csrf(client, on: "/ui/flags/ai-summary?env=production")
            let forged = try await browser.post(
                client, "/ui/flags/ai-summary/kill?env=production", form: "csrf=\(csrf)&reason=forged&confirm=yes", headers: foreign)
            #expect(forged.status == .forbidden, "even with the token, another site's form is refused")
            #expect(try await client.send(.get, "/api/v1/flags/ai-summary", key: test.admin).json["kill"] == nil)
        }
    }
}
