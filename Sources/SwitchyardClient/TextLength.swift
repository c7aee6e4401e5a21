/// The length of an output in characters (extended grapheme clusters, as a person counts them)
/// and words (runs of non-whitespace).
struct TextLength: Sendable, Hashable {
    var characters: Int
    var words: Int

    init(_ text: String) {
        var characters = 0
        var words = 0
        var inWord = false
        for character in text {
            characters += 1
            if character.isWhitespace {
                inWord = false
            } else if !inWord {
                inWord = true
                words += 1
            }
        }
        self.characters = characters
        self.words = words
    }
}
