import DictDB
import DictDBToolSupport

/// The fixture datasets.
enum DatasetKind: String, CaseIterable {
    case users, products, orders

    /// The fields of its records, in order (also the CSV columns).
    var columns: [String] {
        switch self {
        case .users: return ["id", "name", "email", "age", "country", "signup_date", "tags"]
        case .products: return ["sku", "name", "category", "price", "stock", "attributes"]
        case .orders: return ["id", "user_id", "items", "total", "status", "created_at"]
        }
    }

    /// The schema every record of the dataset satisfies (strict: no other field).
    var schema: Schema {
        switch self {
        case .users:
            return Schema(
                fields: [
                    FieldRule("id", .int, nullable: false),
                    FieldRule("name", .string, nullable: false, validators: [.length(1...100)]),
                    FieldRule("email", .string, nullable: false, unique: true),
                    FieldRule("age", .int, validators: [.range(13...120)]),
                    FieldRule("country", .string, nullable: false, validators: [.length(2...2)]),
                    FieldRule("signup_date", .string, nullable: false),
                    FieldRule("tags", .array, validators: [.length(0...10)]),
                ], mode: .strict)
        case .products:
            return Schema(
                fields: [
                    FieldRule("sku", .string, nullable: false, unique: true),
                    FieldRule("name", .string, nullable: false),
                    FieldRule(
                        "category", .string, nullable: false,
                        validators: [.oneOf(Vocabulary.categories.map { .string($0) })]),
                    FieldRule("price", .double, nullable: false, validators: [.range(0...1_000_000)]),
                    FieldRule("stock", .int, nullable: false, validators: [.range(0...1_000_000)]),
                    FieldRule("attributes", .object),
                ], mode: .strict)
        case .orders:
            return Schema(
                fields: [
                    FieldRule("id", .int, nullable: false),
                    FieldRule("user_id", .int, nullable: false),
                    FieldRule("items", .array, nullable: false, validators: [.length(1...20)]),
                    FieldRule("total", .double, nullable: false, validators: [.range(0...100_000_000)]),
                    FieldRule(
                        "status", .string, nullable: false,
                        validators: [.oneOf(Vocabulary.statuses.map { .string($0) })]),
                    FieldRule("created_at", .string, nullable: false),
                ], mode: .strict)
        }
    }
}

/// Makes the records of the datasets, deterministically: record `n` of a dataset depends only on the seed,
/// the skew and `n`'s predecessors, so users 1...100 are the same whether 100 or 1,000 are written.
struct FixtureGenerator {
    let seed: UInt64
    let count: Int
    let skew: Double
    private let countries: Zipf
    private let tags: Zipf
    private let categories: Zipf
    private let statuses: Zipf

    /// A generator of `count` records per dataset, skewed by `skew`.
    init(seed: UInt64, count: Int, skew: Double) {
        self.seed = seed
        self.count = count
        self.skew = skew
        countries = Zipf(count: Vocabulary.countries.count, exponent: skew)
        tags = Zipf(count: Vocabulary.tags.count, exponent: skew)
        categories = Zipf(count: Vocabulary.categories.count, exponent: skew)
        statuses = Zipf(count: Vocabulary.statuses.count, exponent: skew)
    }

    /// 2018-01-01T00:00:00Z, the first signup.
    static let firstSignup: Int64 = 1_514_764_800
    /// 2026-01-01T00:00:00Z, the end of the order history.
    static let historyEnd: Int64 = 1_767_225_600

    /// Calls `body` with each record of `kind`, in order.
    func forEach(_ kind: DatasetKind, _ body: (Record) throws -> Void) throws {
        switch kind {
        case .users:
            var random = SeededGenerator(seed: seed, stream: 1)
            for id in 1...count { try body(user(id, &random).record) }
        case .products:
            var random = SeededGenerator(seed: seed, stream: 2)
            for number in 1...count { try body(product(number, &random).record) }
        case .orders:
            var userRandom = SeededGenerator(seed: seed, stream: 1)
            let signups = (1...count).map { user($0, &userRandom).signup }
            var productRandom = SeededGenerator(seed: seed, stream: 2)
            let products = (1...count).map { product($0, &productRandom) }
            let users = Zipf(count: signups.count, exponent: skew)
            let productRanks = Zipf(count: products.count, exponent: skew)
            var random = SeededGenerator(seed: seed, stream: 3)
            for id in 1...count {
                try body(
                    order(id, signups: signups, users: users, products: products, productRanks: productRanks, &random))
            }
        }
    }

    /// User `id` and the second it signed up.
    private func user(_ id: Int, _ random: inout SeededGenerator) -> (record: Record, signup: Int64) {
        let first = random.pick(Vocabulary.firstNames)
        let last = random.pick(Vocabulary.lastNames)
        // Roughly normal around 37, from 18 to 90.
        let spread = (0..<4).reduce(0.0) { sum, _ in sum + Double.random(in: -1...1, using: &random) }
        let age = min(90, max(18, Int64((37 + spread * 11).rounded())))
        let signup = Self.firstSignup + Int64(random.index(below: Int(Self.historyEnd - Self.firstSignup - 86_400)))
        var chosen: [Value] = []
        for _ in 0..<random.index(below: 4) {
            let tag = Value.string(tags.pick(Vocabulary.tags, &random))
            if !chosen.contains(tag) { chosen.append(tag) }
        }
        let record: Record = [
            "id": .int(Int64(id)), "name": .string("\(first.shown) \(last.shown)"),
            "email": .string("\(first.ascii).\(last.ascii).\(id)@example.com"),
            "age": .int(age), "country": .string(countries.pick(Vocabulary.countries, &random)),
            "signup_date": .string(ISODate.text(seconds: signup)), "tags": .array(chosen),
        ]
        return (record, signup)
    }

    /// Product number `number` and its price.
    private func product(_ number: Int, _ random: inout SeededGenerator) -> (record: Record, sku: String, price: Double)
    {
        let category = categories.pick(Vocabulary.categories, &random)
        let noun = random.pick(Vocabulary.nouns[category] ?? ["Item"])
        let base = Vocabulary.basePrices[category] ?? 20
        let factor = 0.3 + Double.random(in: 0..<1, using: &random) * Double.random(in: 0..<3, using: &random)
        let price = max(0.5, (base * factor * 100).rounded() / 100)
        let stock: Int64 = random.percent(10) ? 0 : Int64(random.index(below: 500)) + 1
        let sku = "SKU-" + String(repeating: "0", count: max(0, 6 - String(number).count)) + String(number)
        let record: Record = [
            "sku": .string(sku), "name": .string("\(random.pick(Vocabulary.adjectives)) \(noun)"),
            "category": .string(category), "price": .double(price), "stock": .int(stock),
            "attributes": .object(attributes(category, &random)),
        ]
        return (record, sku, price)
    }

    /// Attributes that fit the category.
    private func attributes(_ category: String, _ random: inout SeededGenerator) -> Record {
        let color = Value.string(random.pick(Vocabulary.colors))
        switch category {
        case "electronics":
            return [
                "brand": .string(random.pick(["Acme", "Voltix", "Nordby", "Sakura"])),
                "warranty_months": .int(Int64(random.pick([12, 24, 36]))), "wireless": .bool(random.percent(60)),
            ]
        case "books":
            return [
                "pages": .int(Int64(80 + random.index(below: 900))),
                "language": .string(random.pick(["en", "fr", "de", "es", "ja"])),
                "hardcover": .bool(random.percent(30)),
            ]
        case "clothing":
            return [
                "size": .string(random.pick(["XS", "S", "M", "L", "XL"])), "color": color,
                "material": .string(random.pick(["cotton", "wool", "linen", "polyester"])),
            ]
        case "grocery":
            return ["weight_g": .int(Int64(100 + random.index(below: 1900))), "organic": .bool(random.percent(40))]
        default:
            return [
                "color": color, "weight_kg": .double((Double.random(in: 0.1...20, using: &random) * 10).rounded() / 10),
            ]
        }
    }

    /// Order `id`: a skewed user, one to five skewed products, and the total they cost.
    private func order(
        _ id: Int, signups: [Int64], users: Zipf, products: [(record: Record, sku: String, price: Double)],
        productRanks: Zipf, _ random: inout SeededGenerator
    ) -> Record {
        let user = users.sample(&random)
        var items: [Value] = []
        var cents: Int64 = 0
        for _ in 0..<(1 + random.index(below: 5)) {
            let product = products[productRanks.sample(&random)]
            let quantity = Int64(1 + random.index(below: 3))
            cents += Int64((product.price * 100).rounded()) * quantity
            items.append(.object(["sku": .string(product.sku), "qty": .int(quantity)]))
        }
        let signup = signups[user]
        let created = signup + Int64(random.index(below: Int(max(86_400, Self.historyEnd - signup))))
        return [
            "id": .int(Int64(id)), "user_id": .int(Int64(user + 1)), "items": .array(items),
            "total": .double(Double(cents) / 100), "status": .string(statuses.pick(Vocabulary.statuses, &random)),
            "created_at": .string(ISODate.text(seconds: created)),
        ]
    }
}

/// UTC timestamps as ISO 8601 text.
enum ISODate {
    /// `2021-03-04T05:06:07Z` for seconds since 1970.
    static func text(seconds: Int64) -> String {
        // The extended form ends in `.000Z` for whole seconds; these dates carry none.
        String(UTCTimestamp.formatExtended(seconds * 1000).dropLast(5)) + "Z"
    }
}
