// SPDX-License-Identifier: MIT
//! zkclob-zkvm-host: the SP1 / ZisK backends behind the external prover
//! protocol (docs/backend-protocol.md, version 2) on stdin/stdout.
//!
//! A PROVE becomes the guest input v2 (guest-core witness::from_prove, the
//! market's parameters from this program's command line), which the guest
//! core first runs natively: an input it refuses is answered without
//! starting a prover (4 invalid, or 6 unsupported for a batch outside what
//! the guest proves: an unwitnessed level gap, an unconfigured market).
//! Then, in `command` mode, the configured prove command runs on that input
//! and its proof file is the reply; VERIFY runs the verify command. In
//! `exec` mode nothing is proven: PROVE answers 6 unsupported, unless
//! `--test-only-exec-proofs` is given, which makes the "proof" the bytes
//! `ZKVMEXEC | public values` (DESCRIBE then says test_only, so the router uses
//! it only with test_backends on). It exists to test the glue here, where
//! no zkVM is installed; it must never be presented as a proof.
//!
//! Usage (docs/zkvm.md has the full description):
//!   zkclob-zkvm-host --market SPEC [--market SPEC ...] [--name N]
//!       [--params-id ID] [--security-bits B] [--max-payload BYTES]
//!       [--prove-timeout-s S] [--workdir DIR]
//!       ( --exec [--test-only-exec-proofs]
//!       | --prove CMD ARG... -- --verify CMD ARG... -- )
//! SPEC: market=1,tick=1,lot=1,min_price=1,max_price=100000,
//!       max_qty=1000000,stp=0,max_orders=8192,max_levels=4096
//! In command arguments {input}, {proof}, {public} and {statement} are
//! replaced by file paths. PROVE: the guest input, where the prover writes
//! the proof, where it writes the guest's public values (when {public} is
//! used they must be `statement | market record`, 216 bytes). VERIFY: the
//! proof, the public values it must carry (216 bytes: the statement and
//! this host's record of its market), the statement alone (160 bytes).

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use zkclob_guest_core::book::{Fault, MarketParams};
use zkclob_guest_core::witness::{self, WitnessError, PUBLIC_SIZE, STATEMENT_SIZE};

const MAGIC: u32 = 0x5a4b_4250;
const VERSION: u8 = 2;
const HEADER: usize = 20;
const PROVE: u8 = 1;
const VERIFY: u8 = 2;
const DESCRIBE: u8 = 3;
const HEALTH: u8 = 4;
const REPLY: u8 = 0x80;

const ST_OK: u8 = 0;
const ST_FAILED: u8 = 1;
const ST_TIMEOUT: u8 = 2;
const ST_TOO_BIG: u8 = 3;
const ST_INVALID: u8 = 4;
const ST_PROTOCOL: u8 = 5;
const ST_UNSUPPORTED: u8 = 6;

const EXEC_PROOF_MAGIC: &[u8; 8] = b"ZKVMEXEC";

enum Mode {
    Exec {
        test_only_proofs: bool,
    },
    Command {
        prove: Vec<String>,
        verify: Vec<String>,
    },
}

struct Config {
    markets: Vec<MarketParams>,
    name: String,
    params_id: u32,
    security_bits: u32,
    max_payload: u32,
    prove_timeout: Duration,
    workdir: PathBuf,
    mode: Mode,
}

fn parse_market(spec: &str) -> Result<MarketParams, String> {
    let mut p = MarketParams::default();
    let mut seen = 0u32;
    for kv in spec.split(',') {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| format!("market spec: '{}' is not key=value", kv))?;
        let bad = || format!("market spec: bad value for {}: '{}'", k, v);
        let u = || v.parse::<u64>().map_err(|_| bad());
        let i = || v.parse::<i64>().map_err(|_| bad());
        let w = || v.parse::<u32>().map_err(|_| bad());
        let bit = match k {
            "market" => {
                p.market = w()?;
                0
            }
            "tick" => {
                p.tick = i()?;
                1
            }
            "lot" => {
                p.lot = u()?;
                2
            }
            "min_price" => {
                p.min_price = i()?;
                3
            }
            "max_price" => {
                p.max_price = i()?;
                4
            }
            "max_qty" => {
                p.max_qty = u()?;
                5
            }
            "stp" => {
                p.stp = w()?;
                6
            }
            "max_orders" => {
                p.max_orders = w()?;
                7
            }
            "max_levels" => {
                p.max_levels = w()?;
                8
            }
            _ => return Err(format!("market spec: unknown key '{}'", k)),
        };
        seen |= 1 << bit;
    }
    if seen != 0x1ff {
        return Err(format!(
            "market spec '{}': all nine keys are required",
            spec
        ));
    }
    if !p.is_valid() {
        return Err(format!(
            "market spec '{}': parameters the engine refuses",
            spec
        ));
    }
    Ok(p)
}

/// Arguments up to a lone `--`.
fn take_argv(args: &mut std::vec::IntoIter<String>, what: &str) -> Result<Vec<String>, String> {
    let mut v = Vec::new();
    for a in args.by_ref() {
        if a == "--" {
            if v.is_empty() {
                return Err(format!("{}: empty command", what));
            }
            return Ok(v);
        }
        v.push(a);
    }
    Err(format!("{}: command not ended by --", what))
}

fn parse_args(argv: Vec<String>) -> Result<Config, String> {
    let mut markets = Vec::new();
    let mut name = String::from("zkvm");
    let mut params_id = 0x5a4b_5600u32;
    let mut security_bits = 100u32;
    let mut max_payload = 16u32 << 20;
    let mut prove_timeout = Duration::from_secs(3600);
    let mut workdir = std::env::temp_dir();
    let (mut exec, mut test_only) = (false, false);
    let (mut prove, mut verify) = (None, None);
    let mut it = argv.into_iter();
    while let Some(a) = it.next() {
        let mut val = || it.next().ok_or_else(|| format!("{} needs a value", a));
        match a.as_str() {
            "--market" => markets.push(parse_market(&val()?)?),
            "--name" => name = val()?,
            "--params-id" => {
                params_id = val()?.parse().map_err(|_| "bad --params-id".to_string())?
            }
            "--security-bits" => {
                security_bits = val()?
                    .parse()
                    .map_err(|_| "bad --security-bits".to_string())?
            }
            "--max-payload" => {
                max_payload = val()?
                    .parse()
                    .map_err(|_| "bad --max-payload".to_string())?
            }
            "--prove-timeout-s" => {
                prove_timeout = Duration::from_secs(
                    val()?
                        .parse()
                        .map_err(|_| "bad --prove-timeout-s".to_string())?,
                )
            }
            "--workdir" => workdir = PathBuf::from(val()?),
            "--exec" => exec = true,
            "--test-only-exec-proofs" => test_only = true,
            "--prove" => prove = Some(take_argv(&mut it, "--prove")?),
            "--verify" => verify = Some(take_argv(&mut it, "--verify")?),
            _ => return Err(format!("unknown argument '{}'", a)),
        }
    }
    if markets.is_empty() {
        return Err("at least one --market is required".into());
    }
    if name.len() >= 32 || !name.bytes().all(|b| b.is_ascii_graphic()) {
        return Err("--name: printable ASCII, under 32 bytes".into());
    }
    let mode = match (exec, prove, verify) {
        (true, None, None) => Mode::Exec {
            test_only_proofs: test_only,
        },
        (false, Some(prove), Some(verify)) if !test_only => Mode::Command { prove, verify },
        _ => {
            return Err(
                "give either --exec [--test-only-exec-proofs] or both --prove and --verify".into(),
            )
        }
    };
    Ok(Config {
        markets,
        name,
        params_id,
        security_bits,
        max_payload,
        prove_timeout,
        workdir,
        mode,
    })
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes(b[..4].try_into().unwrap())
}

fn be64(b: &[u8]) -> u64 {
    u64::from_be_bytes(b[..8].try_into().unwrap())
}

fn status(code: u8, why: &str) -> Vec<u8> {
    let mut v = vec![code];
    v.extend_from_slice(why.as_bytes());
    v
}

/// Runs `argv` with placeholders replaced; Ok(exit code) or Err(timeout /
/// spawn failure). The child is killed and reaped on timeout.
fn run_command(
    argv: &[String],
    files: &[(&str, &Path)],
    limit: Duration,
) -> Result<i32, (u8, String)> {
    let sub = |a: &String| {
        let mut s = a.clone();
        for (k, p) in files {
            s = s.replace(k, &p.to_string_lossy());
        }
        s
    };
    let mut child = Command::new(sub(&argv[0]))
        .args(argv[1..].iter().map(sub))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| (ST_FAILED, format!("cannot run {}: {}", argv[0], e)))?;
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(st)) => return Ok(st.code().unwrap_or(-1)),
            Ok(None) if start.elapsed() >= limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err((ST_TIMEOUT, format!("{} ran past its time limit", argv[0])));
            }
            Ok(None) => sleep(Duration::from_millis(5)),
            Err(e) => return Err((ST_FAILED, format!("waiting for {}: {}", argv[0], e))),
        }
    }
}

struct Scratch {
    paths: Vec<PathBuf>,
}

impl Scratch {
    fn new(cfg: &Config, id: u64, names: &[&str]) -> Scratch {
        let pid = std::process::id();
        Scratch {
            paths: names
                .iter()
                .map(|n| cfg.workdir.join(format!("zkvm-{}-{}-{}", pid, id, n)))
                .collect(),
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        for p in &self.paths {
            let _ = fs::remove_file(p);
        }
    }
}

fn prove(cfg: &Config, id: u64, payload: &[u8]) -> Vec<u8> {
    // statement | budget_us u64 | max_proof u32 | n_ops u32 | ops | wit_len u32 | witness
    if payload.len() < STATEMENT_SIZE + 16 {
        return status(ST_INVALID, "short PROVE payload");
    }
    let st: [u8; STATEMENT_SIZE] = payload[..STATEMENT_SIZE].try_into().unwrap();
    let budget_us = be64(&payload[160..]);
    let max_proof = be32(&payload[168..]) as usize;
    let n_ops = be32(&payload[172..]) as usize;
    let ops_end = match n_ops.checked_mul(64).map(|n| n + 176) {
        Some(e) if e + 4 <= payload.len() => e,
        _ => return status(ST_INVALID, "PROVE op count beyond the payload"),
    };
    let wit_len = be32(&payload[ops_end..]) as usize;
    if ops_end + 4 + wit_len != payload.len() {
        return status(
            ST_INVALID,
            "PROVE witness length does not match the payload",
        );
    }
    let ops = &payload[176..ops_end];
    let wit = &payload[ops_end + 4..];
    if n_ops == 0 || wit_len == 0 {
        return status(
            ST_UNSUPPORTED,
            "the zkVM guest needs the ops and the committed witness",
        );
    }
    if be32(&st[4..]) != cfg.params_id {
        return status(ST_INVALID, "statement params_id is not this prover's");
    }
    let market = be32(&st[0..]);
    let Some(p) = cfg.markets.iter().find(|m| m.market == market) else {
        return status(ST_UNSUPPORTED, "market not configured in this prover");
    };
    let input = match witness::from_prove(&st, p, ops, wit) {
        Ok(i) => i,
        Err(why) => return status(ST_INVALID, why),
    };
    // The guest's own verdict before any prover time is spent; it returns
    // the statement only when every field it computes equals the request's.
    let public = witness::public_values(&st, p);
    match witness::execute(&input) {
        Ok(committed) if committed == public => {}
        Ok(_) => return status(ST_FAILED, "guest committed other public values"),
        Err(WitnessError::Fault(op, Fault::LevelGapNotProven(_))) => {
            return status(
                ST_UNSUPPORTED,
                &format!("op {}: the witness cannot prove the level absent (BOOK_FULL on a full level table)", op),
            )
        }
        Err(e) => return status(ST_INVALID, &format!("guest refuses the batch: {:?}", e)),
    }
    match &cfg.mode {
        Mode::Exec {
            test_only_proofs: false,
        } => status(
            ST_UNSUPPORTED,
            "exec mode: the guest ran natively and accepted the batch, but nothing was proven",
        ),
        Mode::Exec {
            test_only_proofs: true,
        } => {
            let mut proof = status(ST_OK, "");
            proof.extend_from_slice(EXEC_PROOF_MAGIC);
            proof.extend_from_slice(&public);
            if proof.len() - 1 > max_proof {
                return status(ST_TOO_BIG, "proof larger than max_proof");
            }
            proof
        }
        Mode::Command { prove, .. } => {
            let s = Scratch::new(cfg, id, &["input", "proof", "public"]);
            if let Err(e) = fs::write(&s.paths[0], &input) {
                return status(ST_FAILED, &format!("writing the guest input: {}", e));
            }
            // A tenth of the budget is kept to kill the prover and answer
            // before the caller gives up on us (and kills us, orphaning it).
            let limit = if budget_us == 0 {
                cfg.prove_timeout
            } else {
                Duration::from_micros(budget_us - budget_us / 10).min(cfg.prove_timeout)
            };
            let files = [
                ("{input}", s.paths[0].as_path()),
                ("{proof}", s.paths[1].as_path()),
                ("{public}", s.paths[2].as_path()),
            ];
            match run_command(prove, &files, limit) {
                Ok(0) => {}
                Ok(c) => return status(ST_FAILED, &format!("prove command exited with {}", c)),
                Err((code, why)) => return status(code, &why),
            }
            if prove.iter().any(|a| a.contains("{public}")) {
                match fs::read(&s.paths[2]) {
                    Ok(pv) if pv == public => {}
                    Ok(_) => {
                        return status(
                            ST_FAILED,
                            "the proof's public values are not the statement and market",
                        )
                    }
                    Err(e) => return status(ST_FAILED, &format!("reading public values: {}", e)),
                }
            }
            let proof = match fs::read(&s.paths[1]) {
                Ok(p) => p,
                Err(e) => return status(ST_FAILED, &format!("reading the proof: {}", e)),
            };
            if proof.len() > max_proof {
                return status(ST_TOO_BIG, "proof larger than max_proof");
            }
            let mut r = status(ST_OK, "");
            r.extend_from_slice(&proof);
            r
        }
    }
}

fn verify(cfg: &Config, id: u64, payload: &[u8]) -> Vec<u8> {
    // statement | budget_us u64 | proof
    if payload.len() < STATEMENT_SIZE + 8 {
        return status(2, "short VERIFY payload");
    }
    let st: &[u8; STATEMENT_SIZE] = payload[..STATEMENT_SIZE].try_into().unwrap();
    let proof = &payload[STATEMENT_SIZE + 8..];
    // What the guest must have committed: the statement under this
    // verifier's own rules for its market.
    let market = be32(&st[0..]);
    let Some(p) = cfg.markets.iter().find(|m| m.market == market) else {
        return status(1, "no rules configured for the statement's market");
    };
    let public = witness::public_values(st, p);
    match &cfg.mode {
        Mode::Exec {
            test_only_proofs: true,
        } => {
            if proof.len() == 8 + PUBLIC_SIZE
                && &proof[..8] == EXEC_PROOF_MAGIC
                && proof[8..] == public
            {
                status(0, "test-only exec proof of this statement")
            } else {
                status(1, "not a test-only exec proof of this statement")
            }
        }
        Mode::Exec { .. } => status(2, "exec mode verifies nothing"),
        Mode::Command { verify, .. } => {
            let s = Scratch::new(cfg, id, &["statement", "proof", "public"]);
            if fs::write(&s.paths[0], st)
                .and_then(|_| fs::write(&s.paths[1], proof))
                .and_then(|_| fs::write(&s.paths[2], public))
                .is_err()
            {
                return status(2, "cannot write the verify files");
            }
            let files = [
                ("{statement}", s.paths[0].as_path()),
                ("{proof}", s.paths[1].as_path()),
                ("{public}", s.paths[2].as_path()),
            ];
            match run_command(verify, &files, cfg.prove_timeout) {
                Ok(0) => status(0, "verify command accepted"),
                Ok(1) => status(1, "verify command rejected"),
                Ok(c) => status(2, &format!("verify command exited with {}", c)),
                Err((_, why)) => status(2, &why),
            }
        }
    }
}

fn describe(cfg: &Config) -> Vec<u8> {
    let mut v = vec![0u8; 32];
    v[..cfg.name.len()].copy_from_slice(cfg.name.as_bytes());
    v.extend_from_slice(&cfg.params_id.to_be_bytes());
    let test_only = matches!(cfg.mode, Mode::Exec { .. });
    // exec mode proves nothing: 0 bits
    let bits = if test_only { 0 } else { cfg.security_bits };
    v.extend_from_slice(&bits.to_be_bytes());
    v.extend_from_slice(&[test_only as u8, 0, 0, 0]);
    // cost model: prove_fixed_us, per_op_us, proof bytes fixed / per op,
    // verify_us, concurrency (zkVM proofs take seconds to minutes)
    let model: [u32; 6] = if test_only {
        [1_000, 50, 168, 0, 100, 1]
    } else {
        [30_000_000, 20_000, 300_000, 0, 50_000, 1]
    };
    for x in model {
        v.extend_from_slice(&x.to_be_bytes());
    }
    v
}

fn read_exact_or_eof(r: &mut impl Read, buf: &mut [u8]) -> io::Result<bool> {
    let mut got = 0;
    while got < buf.len() {
        let n = r.read(&mut buf[got..])?;
        if n == 0 {
            if got == 0 {
                return Ok(false);
            }
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "EOF inside a frame",
            ));
        }
        got += n;
    }
    Ok(true)
}

fn serve(cfg: &Config) -> Result<(), String> {
    let mut input = io::stdin().lock();
    let mut output = io::stdout().lock();
    loop {
        let mut h = [0u8; HEADER];
        if !read_exact_or_eof(&mut input, &mut h).map_err(|e| e.to_string())? {
            return Ok(());
        }
        let len = be32(&h[16..]);
        if be32(&h[0..]) != MAGIC || h[4] != VERSION || h[6] != 0 || h[7] != 0 {
            return Err("bad frame header (magic, version or flags)".into());
        }
        if len > cfg.max_payload {
            return Err(format!("request of {} bytes over the limit", len));
        }
        let mut payload = vec![0u8; len as usize];
        input
            .read_exact(&mut payload)
            .map_err(|e| format!("reading a request: {}", e))?;
        let id = be64(&h[8..]);
        let reply = match h[5] {
            PROVE => prove(cfg, id, &payload),
            VERIFY => verify(cfg, id, &payload),
            DESCRIBE => describe(cfg),
            HEALTH => status(0, "ok"),
            _ => status(ST_PROTOCOL, "unknown request type"),
        };
        if reply.len() > cfg.max_payload as usize {
            let short = status(ST_TOO_BIG, "reply over the frame limit");
            write_frame(&mut output, h[5], id, &short)?;
            continue;
        }
        write_frame(&mut output, h[5], id, &reply)?;
    }
}

fn write_frame(out: &mut impl Write, ty: u8, id: u64, payload: &[u8]) -> Result<(), String> {
    let mut f = Vec::with_capacity(HEADER + payload.len());
    f.extend_from_slice(&MAGIC.to_be_bytes());
    f.push(VERSION);
    f.push(ty | REPLY);
    f.extend_from_slice(&[0, 0]);
    f.extend_from_slice(&id.to_be_bytes());
    f.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    f.extend_from_slice(payload);
    out.write_all(&f)
        .and_then(|_| out.flush())
        .map_err(|e| format!("writing a reply: {}", e))
}

fn main() -> ExitCode {
    let cfg = match parse_args(std::env::args().skip(1).collect()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("zkclob-zkvm-host: {}", e);
            return ExitCode::from(2);
        }
    };
    match serve(&cfg) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("zkclob-zkvm-host: {}", e);
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "market=2,tick=5,lot=10,min_price=100,max_price=5000,\
                        max_qty=10000,stp=1,max_orders=64,max_levels=16";

    fn args(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn market_spec_needs_every_key_and_valid_values() {
        let p = parse_market(SPEC).unwrap();
        assert_eq!((p.market, p.tick, p.max_levels), (2, 5, 16));
        assert!(parse_market("market=2,tick=5").is_err());
        assert!(parse_market(&SPEC.replace("tick=5", "tick=0")).is_err());
        assert!(parse_market(&SPEC.replace("lot=10", "lot=x")).is_err());
        assert!(parse_market(&format!("{},color=3", SPEC)).is_err());
        assert!(parse_market(&SPEC.replace("stp=1", "stp 1")).is_err());
    }

    #[test]
    fn modes_are_exclusive_and_commands_terminated() {
        let ok = parse_args(args(&["--market", SPEC, "--exec"])).unwrap();
        assert!(matches!(
            ok.mode,
            Mode::Exec {
                test_only_proofs: false
            }
        ));
        let c = parse_args(args(&[
            "--market", SPEC, "--prove", "p", "{input}", "--", "--verify", "v", "--",
        ]))
        .unwrap();
        match c.mode {
            Mode::Command { prove, verify } => {
                assert_eq!(prove, ["p", "{input}"]);
                assert_eq!(verify, ["v"]);
            }
            _ => panic!("command mode expected"),
        }
        for bad in [
            &["--exec"][..],
            &["--market", SPEC][..],
            &[
                "--market", SPEC, "--exec", "--prove", "p", "--", "--verify", "v", "--",
            ][..],
            &["--market", SPEC, "--prove", "p", "--"][..],
            &["--market", SPEC, "--prove", "p", "--verify", "v", "--"][..],
            &["--market", SPEC, "--prove", "--", "--verify", "v", "--"][..],
            &[
                "--market",
                SPEC,
                "--test-only-exec-proofs",
                "--prove",
                "p",
                "--",
                "--verify",
                "v",
                "--",
            ][..],
            &["--market", SPEC, "--exec", "--name", "a name with spaces"][..],
            &["--market", SPEC, "--exec", "--bogus"][..],
        ] {
            assert!(parse_args(args(bad)).is_err(), "{:?}", bad);
        }
    }

    #[test]
    fn exec_mode_describes_itself_as_test_only() {
        let c = parse_args(args(&["--market", SPEC, "--exec", "--name", "z"])).unwrap();
        let d = describe(&c);
        assert_eq!(d.len(), 68);
        assert_eq!(&d[..2], b"z\0");
        assert_eq!(be32(&d[36..]), 0, "no security bits");
        assert_eq!(d[40], 1, "test_only");
    }

    #[test]
    fn prove_payload_is_checked_before_the_guest_runs() {
        let c = parse_args(args(&["--market", SPEC, "--exec"])).unwrap();
        assert_eq!(prove(&c, 1, &[0; 10])[0], ST_INVALID);
        let mut p = vec![0u8; 176 + 4];
        p[172..176].copy_from_slice(&u32::MAX.to_be_bytes());
        assert_eq!(prove(&c, 1, &p)[0], ST_INVALID, "lying op count");
        let p = vec![0u8; 180];
        assert_eq!(prove(&c, 1, &p)[0], ST_UNSUPPORTED, "no ops, no witness");
    }
}
