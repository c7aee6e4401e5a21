import Testing

@testable import SwitchyardCore

@Suite struct SuggestionTests {
    @Test func aLikelyTypoSuggestsTheClosestNameAndNothingFarOrEqual() {
        #expect(Suggestion.closest(to: "ai-sumary", among: ["ai-summary", "model"]) == "ai-summary")
        #expect(Suggestion.closest(to: "abrot", among: ["abort", "start", "status"]) == "abort")
        #expect(Suggestion.closest(to: "flag", among: ["flags", "segments"]) == "flags")
        #expect(Suggestion.closest(to: "xyz", among: ["flags", "segments"]) == nil)
        #expect(Suggestion.closest(to: "flags", among: ["flags"]) == nil, "an exact name is no typo")
        #expect(Suggestion.hint(for: "onn", among: ["on", "off"]) == "; did you mean \"on\"?")
    }

    @Test func editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        func distance(_ a: String, _ b: String) -> Int {
            Suggestion.editDistance(Array(a.unicodeScalars), Array(b.unicodeScalars), limit: 5)
        }
        #expect(distance("", "") == 0)
        #expect(distance("", "ab") == 2)
        #expect(distance("abc", "") == 3)
        #expect(distance("kitten", "sitting") == 3)
        #expect(distance("abc", "abc") == 0)
        #expect(Suggestion.editDistance(Array("abcdef".unicodeScalars), Array("uvwxyz".unicodeScalars), limit: 2) == 3, "stops past the limit")
    }
}
