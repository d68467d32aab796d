/work/main/backends/zkvm/target/debug/deps/zkclob_zkvm_exec-c90cdfdf04d52a00.d: host/src/main.rs Cargo.toml

/work/main/backends/zkvm/target/debug/deps/libzkclob_zkvm_exec-c90cdfdf04d52a00.rmeta: host/src/main.rs Cargo.toml

host/src/main.rs:
Cargo.toml:

# env-dep:CLIPPY_ARGS=
# env-dep:CLIPPY_CONF_DIR
