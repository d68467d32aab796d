/work/main/backends/zkvm/target/debug/deps/zkclob_guest_core-2cfc6dfb5dd2b5f1.d: guest-core/src/lib.rs guest-core/src/blake2b.rs guest-core/src/book.rs guest-core/src/input.rs guest-core/src/matching.rs guest-core/src/types.rs guest-core/src/tests.rs Cargo.toml

/work/main/backends/zkvm/target/debug/deps/libzkclob_guest_core-2cfc6dfb5dd2b5f1.rmeta: guest-core/src/lib.rs guest-core/src/blake2b.rs guest-core/src/book.rs guest-core/src/input.rs guest-core/src/matching.rs guest-core/src/types.rs guest-core/src/tests.rs Cargo.toml

guest-core/src/lib.rs:
guest-core/src/blake2b.rs:
guest-core/src/book.rs:
guest-core/src/input.rs:
guest-core/src/matching.rs:
guest-core/src/types.rs:
guest-core/src/tests.rs:
Cargo.toml:

# env-dep:CLIPPY_ARGS=
# env-dep:CLIPPY_CONF_DIR
