/work/main/backends/zkvm/target/debug/deps/zkclob_guest_core-af38f308d63d1bbd.d: guest-core/src/lib.rs guest-core/src/blake2b.rs guest-core/src/book.rs guest-core/src/input.rs guest-core/src/matching.rs guest-core/src/types.rs

/work/main/backends/zkvm/target/debug/deps/libzkclob_guest_core-af38f308d63d1bbd.rlib: guest-core/src/lib.rs guest-core/src/blake2b.rs guest-core/src/book.rs guest-core/src/input.rs guest-core/src/matching.rs guest-core/src/types.rs

/work/main/backends/zkvm/target/debug/deps/libzkclob_guest_core-af38f308d63d1bbd.rmeta: guest-core/src/lib.rs guest-core/src/blake2b.rs guest-core/src/book.rs guest-core/src/input.rs guest-core/src/matching.rs guest-core/src/types.rs

guest-core/src/lib.rs:
guest-core/src/blake2b.rs:
guest-core/src/book.rs:
guest-core/src/input.rs:
guest-core/src/matching.rs:
guest-core/src/types.rs:
