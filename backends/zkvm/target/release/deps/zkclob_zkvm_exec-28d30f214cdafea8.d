/work/main/backends/zkvm/target/release/deps/zkclob_zkvm_exec-28d30f214cdafea8.d: host/src/main.rs

/work/main/backends/zkvm/target/release/deps/zkclob_zkvm_exec-28d30f214cdafea8: host/src/main.rs

host/src/main.rs:
