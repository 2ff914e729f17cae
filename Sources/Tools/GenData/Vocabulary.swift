/// The words the fixture datasets are made of.
enum Vocabulary {
    /// First names as shown, with the ASCII form emails use.
    static let firstNames: [(shown: String, ascii: String)] = [
        ("Ada", "ada"), ("Grace", "grace"), ("Alan", "alan"), ("Zoë", "zoe"), ("José", "jose"), ("Mei", "mei"),
        ("Olusegun", "olusegun"), ("Priya", "priya"), ("Lars", "lars"), ("Chloé", "chloe"), ("Hiroshi", "hiroshi"),
        ("Fatima", "fatima"), ("Mateo", "mateo"), ("Anna", "anna"), ("Noah", "noah"), ("Sofía", "sofia"),
        ("Ivan", "ivan"), ("Amara", "amara"), ("Ji-woo", "jiwoo"), ("Lucas", "lucas"), ("Emma", "emma"),
        ("Omar", "omar"), ("Ingrid", "ingrid"), ("Kwame", "kwame"), ("Léa", "lea"), ("Raj", "raj"),
    ]
    /// Last names as shown, with the ASCII form emails use.
    static let lastNames: [(shown: String, ascii: String)] = [
        ("Lovelace", "lovelace"), ("Hopper", "hopper"), ("Turing", "turing"), ("García", "garcia"),
        ("Müller", "muller"), ("Wang", "wang"), ("Okafor", "okafor"), ("Sharma", "sharma"), ("Nilsson", "nilsson"),
        ("Dubois", "dubois"), ("Tanaka", "tanaka"), ("Haddad", "haddad"), ("Silva", "silva"), ("Kowalski", "kowalski"),
        ("Smith", "smith"), ("Rossi", "rossi"), ("Petrov", "petrov"), ("Mensah", "mensah"), ("Kim", "kim"),
        ("O'Brien", "obrien"), ("Nguyen", "nguyen"), ("Jensen", "jensen"), ("Fernández", "fernandez"),
    ]
    /// Country codes, most common first (the skew favours the first ones).
    static let countries = [
        "US", "IN", "BR", "DE", "GB", "FR", "JP", "NG", "MX", "ID", "CA", "IT", "ES", "KR", "PL", "NL", "SE", "AR",
        "ZA", "EG", "KE", "VN",
    ]
    /// User tags, most common first.
    static let tags = [
        "newsletter", "mobile", "desktop", "referral", "vip", "beta", "student", "enterprise", "churn-risk",
        "dark-mode",
    ]
    /// Product categories, most common first.
    static let categories = [
        "electronics", "books", "clothing", "home", "toys", "grocery", "sports", "beauty", "garden", "automotive",
    ]
    /// Typical price of each category, in currency units.
    static let basePrices: [String: Double] = [
        "electronics": 180, "books": 18, "clothing": 35, "home": 60, "toys": 25, "grocery": 6, "sports": 55,
        "beauty": 22, "garden": 40, "automotive": 90,
    ]
    /// Nouns per category, for product names.
    static let nouns: [String: [String]] = [
        "electronics": ["Headphones", "Charger", "Monitor", "Keyboard", "Speaker", "Camera"],
        "books": ["Novel", "Cookbook", "Atlas", "Anthology", "Handbook"],
        "clothing": ["Jacket", "T-shirt", "Scarf", "Sneakers", "Hoodie"],
        "home": ["Lamp", "Kettle", "Blanket", "Chair", "Vase"],
        "toys": ["Puzzle", "Robot", "Kite", "Board game", "Plush bear"],
        "grocery": ["Coffee", "Olive oil", "Tea", "Chocolate", "Honey"],
        "sports": ["Yoga mat", "Racket", "Helmet", "Bottle", "Dumbbell"],
        "beauty": ["Serum", "Shampoo", "Lip balm", "Perfume"],
        "garden": ["Hose", "Trowel", "Planter", "Seeds"],
        "automotive": ["Wiper", "Floor mat", "Dash cam", "Tyre gauge"],
    ]
    /// Adjectives for product names.
    static let adjectives = [
        "Classic", "Compact", "Deluxe", "Eco", "Smart", "Vintage", "Ultra", "Handmade", "Pro", "Mini", "Crème",
    ]
    /// Colours for product attributes.
    static let colors = ["black", "white", "red", "blue", "green", "grey", "beige", "yellow"]
    /// Order statuses, most common first.
    static let statuses = ["delivered", "shipped", "processing", "pending", "cancelled", "returned"]
}
