/// The demo flags `serve --demo` seeds: the file `examples/flags.json`, compiled into the binary so
/// that the demo needs no checkout (a CLI test keeps the two equal).
enum DemoFlags {
    static let document = #"""
        {
          "$schema": "https://flagd.dev/schema/v0/flags.json",
          "metadata": {
            "flagSetId": "ai-features",
            "version": "1"
          },
          "$evaluators": {
            "internal-users": {
              "ends_with": [{ "var": "email" }, "@acme.com"]
            },
            "beta-opt-in": {
              "==": [{ "var": "beta" }, true]
            },
            "enterprise-tier": {
              "==": [{ "var": "tier" }, "enterprise"]
            }
          },
          "flags": {
            "ai-document-summary": {
              "state": "ENABLED",
              "variants": { "on": true, "off": false },
              "defaultVariant": "off",
              "safeVariant": "off",
              "metadata": { "owner": "docs-team", "description": "LLM summary instead of the rule-based one" },
              "targeting": {
                "if": [
                  { "$ref": "internal-users" }, "on",
                  { "$ref": "beta-opt-in" }, "on",
                  { "$ref": "enterprise-tier" }, { "fractional": [["on", 5], ["off", 95]] },
                  { "fractional": [["on", 1], ["off", 99]] }
                ]
              }
            },
            "summary-model-version": {
              "state": "ENABLED",
              "variants": {
                "baseline": "gpt-4o-2024-08-06",
                "candidate": "gpt-4.1-2025-04-14"
              },
              "defaultVariant": "baseline",
              "safeVariant": "baseline",
              "metadata": { "owner": "docs-team" },
              "targeting": {
                "if": [
                  { "$ref": "internal-users" }, "candidate",
                  { "fractional": [["candidate", 10], ["baseline", 90]] }
                ]
              }
            },
            "summary-model-config": {
              "state": "ENABLED",
              "variants": {
                "baseline": { "model": "gpt-4o-2024-08-06", "temperature": 0.2, "promptVersion": "summary-v3", "maxOutputTokens": 400 },
                "concise": { "model": "gpt-4o-2024-08-06", "temperature": 0.0, "promptVersion": "summary-v4-concise", "maxOutputTokens": 200 }
              },
              "defaultVariant": "baseline",
              "safeVariant": "baseline",
              "targeting": {
                "if": [{ "$ref": "beta-opt-in" }, "concise", null]
              }
            },
            "ai-email-drafting": {
              "state": "ENABLED",
              "variants": { "on": true, "off": false },
              "defaultVariant": "on",
              "safeVariant": "off",
              "metadata": { "permanent": true, "owner": "support-team", "description": "Kill switch for AI-drafted support emails" }
            }
          }
        }
        """#
}
