/work/main/backends/zkvm/target/release/deps/zkclob_guest_core-38e92759f975a586.d: guest-core/src/lib.rs guest-core/src/blake2b.rs guest-core/src/book.rs guest-core/src/input.rs guest-core/src/matching.rs guest-core/src/types.rs

/work/main/backends/zkvm/target/release/deps/libzkclob_guest_core-38e92759f975a586.rlib: guest-core/src/lib.rs guest-core/src/blake2b.rs guest-core/src/book.rs guest-core/src/input.rs guest-core/src/matching.rs guest-core/src/types.rs

/work/main/backends/zkvm/target/release/deps/libzkclob_guest_core-38e92759f975a586.rmeta: guest-core/src/lib.rs guest-core/src/blake2b.rs guest-core/src/book.rs guest-core/src/input.rs guest-core/src/matching.rs guest-core/src/types.rs

guest-core/src/lib.rs:
guest-core/src/blake2b.rs:
guest-core/src/book.rs:
guest-core/src/input.rs:
guest-core/src/matching.rs:
guest-core/src/types.rs:
