extension IndexDefinition {
    /// The name an index gets when its creator gives none: its fields and kind joined by `_`
    /// (`dept_hash`, `last_first_composite`).
    public static func defaultName(fields: [String], kind: String) -> String {
        (fields + [kind]).joined(separator: "_")
    }
}
