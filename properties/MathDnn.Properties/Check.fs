namespace MathDnn.Properties

open FsCheck

/// Runs FsCheck properties inside xunit facts; a failure throws with the seed and the shrunk counterexample.
module Check =
    /// Checks `property` on `cases` random instances (at least 100 where the issue asks it).
    let cases (n: int) (property: Property) =
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(n), property)
