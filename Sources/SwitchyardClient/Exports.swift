@_exported import SwitchyardCore
