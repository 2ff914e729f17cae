import DictDBAPI
import Engine
import Indexes
import Testing

/// A registry with the built-in index kinds, key generators and sync policies, as `Registry.standard`
/// has them (EngineTests cannot import the umbrella module).
func makeTestRegistry() -> Registry {
    var registry = Registry()
    registry.register(indexKind: HashIndexKind())
    registry.register(indexKind: UniqueIndexKind())
    registry.register(indexKind: SortedIndexKind())
    registry.register(indexKind: CompositeIndexKind())
    registry.register(keyGenerator: AutoIncrementKeyGenerator())
    registry.register(keyGenerator: UUIDv4KeyGenerator())
    registry.register(keyGenerator: UUIDv7KeyGenerator())
    registry.register(syncPolicy: AlwaysSyncPolicy())
    registry.register(syncPolicy: BatchSyncPolicy())
    registry.register(syncPolicy: OSSyncPolicy())
    return registry
}

/// A new empty database over ``makeTestRegistry()``.
func makeDatabase() -> Database {
    Database(registry: makeTestRegistry())
}

/// Runs `body` and returns the DictDBError it throws, or nil if it did not throw. Any other error type is a
/// test failure: DictDB throws nothing else.
func captureError<T>(_ body: () throws -> T) -> DictDBError? {
    do {
        _ = try body()
        return nil
    } catch let error as DictDBError {
        return error
    } catch {
        Issue.record("expected a DictDBError, got \(error)")
        return nil
    }
}
