/work/main/backends/zkvm/target/debug/deps/zkclob_guest_core-f9d6ca17a4b14692.d: guest-core/src/lib.rs guest-core/src/blake2b.rs guest-core/src/book.rs guest-core/src/input.rs guest-core/src/matching.rs guest-core/src/types.rs guest-core/src/tests.rs

/work/main/backends/zkvm/target/debug/deps/zkclob_guest_core-f9d6ca17a4b14692: guest-core/src/lib.rs guest-core/src/blake2b.rs guest-core/src/book.rs guest-core/src/input.rs guest-core/src/matching.rs guest-core/src/types.rs guest-core/src/tests.rs

guest-core/src/lib.rs:
guest-core/src/blake2b.rs:
guest-core/src/book.rs:
guest-core/src/input.rs:
guest-core/src/matching.rs:
guest-core/src/types.rs:
guest-core/src/tests.rs:
