// SPDX-License-Identifier: MIT
//! The guest from a PROVE request's witness (docs/zkvm.md, "Guest input
//! v2"): the book is not sent; only the slots the batch touched, each with
//! its value under old_root, and the sibling digests of their paths.
//!
//! Spec:
//!  - decode treats the input as hostile: exact lengths, counts checked
//!    against the bytes left before any allocation, zero padding, leaves in
//!    strictly increasing tree position, siblings in strictly increasing
//!    (level, index), canonical field elements; any flaw is an error value;
//!  - old_root: every leaf's value is hashed into the tree through the
//!    siblings and must give the statement's old_root (a sibling missing
//!    from a needed place or left unused is an error);
//!  - the ops run on a sparse book holding exactly those leaves; a read or
//!    write of any other slot, or a new level whose neighbours the witness
//!    does not prove adjacent, rejects the input (book.rs Fault);
//!  - new_root: the same paths with the leaves' values after the batch;
//!  - every computed statement field (first/last seq, ops and events
//!    digests, both roots) must equal the input statement's. market must
//!    equal the parameters' market; params_id and batch_seq are the
//!    caller's labels, committed as given;
//!  - the guest commits `statement[160] | market record[56]` (PUBLIC_SIZE
//!    bytes): the statement does not name the market's rules, and a proof
//!    under other rules (a larger max_qty, another tick) must not pass for
//!    one under the verifier's, so the verifier compares the record with
//!    its own configuration.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use crate::book::{Fault, Market, MarketParams, SnapshotError, KIND_BUCKET, KIND_HEADER};
use crate::input::{decode_market, encode_market, MARKET_REC};
use crate::matching;
use crate::poseidon2::{hash, Digest, DIGEST, P};
use crate::statetree::{self, node_hash, Layout};
use crate::types::{be32, be64, events_digest, ops_digest, Op, OP_WIRE_SIZE};

pub const MAGIC: &[u8; 4] = b"ZKGI";
pub const VERSION: u8 = 2;
pub const STATEMENT_SIZE: usize = 160;
/// What the guest commits: the statement, then the market record.
pub const PUBLIC_SIZE: usize = STATEMENT_SIZE + MARKET_REC;
pub const HEAD: usize = 8 + STATEMENT_SIZE + MARKET_REC + 16;
pub const LEAF_REC: usize = 72;
pub const SIBLING_REC: usize = 48;

/// Why the guest refuses an input. No statement is committed for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WitnessError {
    BadMagic,
    BadVersion,
    Truncated,
    TrailingBytes,
    NonZeroPadding,
    BadParams,
    MarketMismatch,
    BadArity,
    NoOps,
    LeafOutOfRange,
    LeafOrder,
    LeafValue(SnapshotError),
    SiblingOrder,
    SiblingNotCanonical,
    SiblingMissing {
        level: u32,
        index: u64,
    },
    SiblingUnused,
    BookIndex(SnapshotError),
    OldRootMismatch,
    /// op number in the batch (from 0), and why
    Fault(u32, Fault),
    FirstSeqMismatch,
    LastSeqMismatch,
    OpsDigestMismatch,
    EventsDigestMismatch,
    NewRootMismatch,
}

/// One touched slot and its value under old_root (canonical 64 bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Leaf {
    pub kind: u8,
    pub slot: u32,
    pub before: [u8; 64],
}

/// A digest the paths need that no touched slot determines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sibling {
    pub level: u32,
    pub index: u64,
    pub hash: Digest,
}

pub struct WitnessInput {
    pub statement: [u8; STATEMENT_SIZE],
    pub params: MarketParams,
    pub arity: u32,
    pub ops: Vec<Op>,
    pub leaves: Vec<Leaf>,
    pub siblings: Vec<Sibling>,
}

struct Reader<'a> {
    b: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], WitnessError> {
        if self.b.len() < n {
            return Err(WitnessError::Truncated);
        }
        let (h, t) = self.b.split_at(n);
        self.b = t;
        Ok(h)
    }
}

fn count_fits(n: u32, size: usize, left: usize) -> Result<usize, WitnessError> {
    let n = n as usize;
    match n.checked_mul(size) {
        Some(need) if need <= left => Ok(n),
        _ => Err(WitnessError::Truncated),
    }
}

pub fn decode(bytes: &[u8]) -> Result<WitnessInput, WitnessError> {
    let mut r = Reader { b: bytes };
    let h = r.take(HEAD)?;
    if &h[0..4] != MAGIC {
        return Err(WitnessError::BadMagic);
    }
    if h[4] != VERSION {
        return Err(WitnessError::BadVersion);
    }
    if h[5..8] != [0, 0, 0] {
        return Err(WitnessError::NonZeroPadding);
    }
    let statement: [u8; STATEMENT_SIZE] = h[8..8 + STATEMENT_SIZE].try_into().unwrap();
    let at = 8 + STATEMENT_SIZE;
    let params = decode_market(h[at..at + MARKET_REC].try_into().unwrap());
    let at = at + MARKET_REC;
    let arity = be32(&h[at..]);
    let n_ops = count_fits(be32(&h[at + 4..]), OP_WIRE_SIZE, r.b.len())?;
    let n_leaves = count_fits(be32(&h[at + 8..]), LEAF_REC, r.b.len())?;
    let n_sib = count_fits(be32(&h[at + 12..]), SIBLING_REC, r.b.len())?;
    let ops = r
        .take(n_ops * OP_WIRE_SIZE)?
        .chunks_exact(OP_WIRE_SIZE)
        .map(|c| Op::decode(c.try_into().unwrap()))
        .collect();
    let mut leaves = Vec::with_capacity(n_leaves);
    for c in r.take(n_leaves * LEAF_REC)?.chunks_exact(LEAF_REC) {
        let kind = be32(&c[0..]);
        if kind < KIND_HEADER as u32 || kind > KIND_BUCKET as u32 {
            return Err(WitnessError::LeafOutOfRange);
        }
        leaves.push(Leaf {
            kind: kind as u8,
            slot: be32(&c[4..]),
            before: c[8..72].try_into().unwrap(),
        });
    }
    let mut siblings = Vec::with_capacity(n_sib);
    for c in r.take(n_sib * SIBLING_REC)?.chunks_exact(SIBLING_REC) {
        if be32(&c[4..]) != 0 {
            return Err(WitnessError::NonZeroPadding);
        }
        let hash: Digest = core::array::from_fn(|i| be64(&c[16 + 8 * i..]));
        if hash.iter().any(|&x| x >= P) {
            return Err(WitnessError::SiblingNotCanonical);
        }
        siblings.push(Sibling {
            level: be32(&c[0..]),
            index: be64(&c[8..]),
            hash,
        });
    }
    if !r.b.is_empty() {
        return Err(WitnessError::TrailingBytes);
    }
    Ok(WitnessInput {
        statement,
        params,
        arity,
        ops,
        leaves,
        siblings,
    })
}

/// Inverse of `decode`.
pub fn encode(w: &WitnessInput) -> Vec<u8> {
    let mut b = Vec::with_capacity(
        HEAD + w.ops.len() * OP_WIRE_SIZE
            + w.leaves.len() * LEAF_REC
            + w.siblings.len() * SIBLING_REC,
    );
    b.extend_from_slice(MAGIC);
    b.extend_from_slice(&[VERSION, 0, 0, 0]);
    b.extend_from_slice(&w.statement);
    b.extend_from_slice(&encode_market(&w.params));
    for n in [
        w.arity,
        w.ops.len() as u32,
        w.leaves.len() as u32,
        w.siblings.len() as u32,
    ] {
        b.extend_from_slice(&n.to_be_bytes());
    }
    for op in &w.ops {
        b.extend_from_slice(&op.encode());
    }
    for l in &w.leaves {
        b.extend_from_slice(&(l.kind as u32).to_be_bytes());
        b.extend_from_slice(&l.slot.to_be_bytes());
        b.extend_from_slice(&l.before);
    }
    for s in &w.siblings {
        b.extend_from_slice(&s.level.to_be_bytes());
        b.extend_from_slice(&0u32.to_be_bytes());
        b.extend_from_slice(&s.index.to_be_bytes());
        for x in s.hash {
            b.extend_from_slice(&x.to_be_bytes());
        }
    }
    b
}

/// Root of the tree whose touched leaves (position, digest; increasing
/// positions) are given, every other digest the paths need coming from
/// `sib`. A needed sibling that `sib` lacks, or one of `sib` no path
/// needs, is an error.
fn root_through(
    lay: &Layout,
    mut cur: Vec<(u64, Digest)>,
    sib: &BTreeMap<(u32, u64), Digest>,
) -> Result<Digest, WitnessError> {
    let a = lay.arity as u64;
    let mut used = 0usize;
    for level in 0..lay.depth {
        let mut next = Vec::with_capacity(cur.len() / 2 + 1);
        let mut i = 0;
        while i < cur.len() {
            let parent = cur[i].0 / a;
            let mut ch = [None::<Digest>; 4];
            while i < cur.len() && cur[i].0 / a == parent {
                ch[(cur[i].0 % a) as usize] = Some(cur[i].1);
                i += 1;
            }
            let mut kids = [[0u64; DIGEST]; 4];
            for j in 0..a as usize {
                kids[j] = match ch[j] {
                    Some(d) => d,
                    None => {
                        let index = parent * a + j as u64;
                        used += 1;
                        *sib.get(&(level, index))
                            .ok_or(WitnessError::SiblingMissing { level, index })?
                    }
                };
            }
            next.push((parent, node_hash(lay.arity, &kids[..a as usize])));
        }
        cur = next;
    }
    if used != sib.len() {
        return Err(WitnessError::SiblingUnused);
    }
    Ok(cur[0].1)
}

/// Digest of each leaf's current value in `m` (zero when pristine).
fn leaf_digests(lay: &Layout, m: &Market, leaves: &[Leaf]) -> Vec<(u64, Digest)> {
    leaves
        .iter()
        .map(|l| {
            let d = if m.slot_is_pristine(l.kind, l.slot) {
                [0u64; DIGEST]
            } else {
                hash(&statetree::encode(m, l.kind, l.slot))
            };
            (lay.offset[l.kind as usize] + l.slot as u64, d)
        })
        .collect()
}

/// The public values of a statement proven under market parameters `p`.
pub fn public_values(st: &[u8; STATEMENT_SIZE], p: &MarketParams) -> [u8; PUBLIC_SIZE] {
    let mut v = [0u8; PUBLIC_SIZE];
    v[..STATEMENT_SIZE].copy_from_slice(st);
    v[STATEMENT_SIZE..].copy_from_slice(&encode_market(p));
    v
}

/// Checks the input as the module spec says; Ok(the public values to
/// commit).
pub fn execute(bytes: &[u8]) -> Result<[u8; PUBLIC_SIZE], WitnessError> {
    let w = decode(bytes)?;
    let st = &w.statement;
    let p = &w.params;
    if !p.is_valid() {
        return Err(WitnessError::BadParams);
    }
    if be32(&st[0..]) != p.market {
        return Err(WitnessError::MarketMismatch);
    }
    if w.ops.is_empty() {
        return Err(WitnessError::NoOps);
    }
    let mut m = Market::sparse(p);
    let count: [u32; 5] = core::array::from_fn(|k| if k == 0 { 0 } else { m.slot_count(k as u8) });
    let lay = Layout::new(w.arity, count).ok_or(WitnessError::BadArity)?;

    let mut last_pos = None;
    for l in &w.leaves {
        if l.slot >= count[l.kind as usize] {
            return Err(WitnessError::LeafOutOfRange);
        }
        let pos = lay.offset[l.kind as usize] + l.slot as u64;
        if last_pos.is_some_and(|q| pos <= q) {
            return Err(WitnessError::LeafOrder);
        }
        last_pos = Some(pos);
        m.set_slot_bytes(l.kind, l.slot, &l.before)
            .map_err(WitnessError::LeafValue)?;
    }
    let mut sib = BTreeMap::new();
    let mut last = None;
    for s in &w.siblings {
        let key = (s.level, s.index);
        if last.is_some_and(|q| key <= q) {
            return Err(WitnessError::SiblingOrder);
        }
        last = Some(key);
        sib.insert(key, s.hash);
    }
    let old_root: [u8; 32] = st[32..64].try_into().unwrap();
    if !w.leaves.is_empty() {
        let root = root_through(&lay, leaf_digests(&lay, &m, &w.leaves), &sib)?;
        if statetree::root_bytes(&root) != old_root {
            return Err(WitnessError::OldRootMismatch);
        }
    } else if !sib.is_empty() {
        return Err(WitnessError::SiblingUnused);
    }
    m.rebuild_index().map_err(WitnessError::BookIndex)?;

    let mut events = Vec::with_capacity(w.ops.len() * 2);
    for (i, op) in w.ops.iter().enumerate() {
        let mine = if op.market == p.market {
            Some(&mut m)
        } else {
            None
        };
        matching::apply_op(mine, op, &mut events);
        if let Some(f) = m.first_fault() {
            return Err(WitnessError::Fault(i as u32, f));
        }
    }
    // Without leaves nothing was read or written (else a fault above), so
    // the book, and its root, did not change.
    let new_root = if w.leaves.is_empty() {
        old_root
    } else {
        let root = root_through(&lay, leaf_digests(&lay, &m, &w.leaves), &sib)?;
        statetree::root_bytes(&root)
    };
    let checks = [
        (
            16..24,
            &w.ops[0].seq.to_be_bytes()[..],
            WitnessError::FirstSeqMismatch,
        ),
        (
            24..32,
            &w.ops[w.ops.len() - 1].seq.to_be_bytes()[..],
            WitnessError::LastSeqMismatch,
        ),
        (
            64..96,
            &ops_digest(&w.ops)[..],
            WitnessError::OpsDigestMismatch,
        ),
        (
            96..128,
            &events_digest(&events)[..],
            WitnessError::EventsDigestMismatch,
        ),
        (128..160, &new_root[..], WitnessError::NewRootMismatch),
    ];
    for (range, want, err) in checks {
        if st[range] != *want {
            return Err(err);
        }
    }
    Ok(public_values(st, p))
}

/// The guest input of a PROVE request (docs/backend-protocol.md): the
/// statement, the market's parameters (the prover's own configuration),
/// the ops (64 bytes each, as sent) and the committed-batch witness
/// (ZKWT, backends/witness.c), of which only the touched slots' old values
/// and the sibling digests are kept: the guest recomputes everything else.
/// The witness is only parsed here, not trusted: the guest checks it.
pub fn from_prove(
    statement: &[u8; STATEMENT_SIZE],
    params: &MarketParams,
    ops: &[u8],
    witness: &[u8],
) -> Result<Vec<u8>, &'static str> {
    const WHEAD: usize = 96;
    const ACCESS: usize = 148;
    const WLEAF: usize = 152;
    const WNODE: usize = 96;
    const EVENT: usize = 64;
    if ops.len() % OP_WIRE_SIZE != 0 {
        return Err("ops are not a whole number of 64-byte records");
    }
    if witness.len() < WHEAD || &witness[0..4] != b"ZKWT" || witness[4] != 1 {
        return Err("the witness is not a version-1 ZKWT record");
    }
    let n = |at: usize| be32(&witness[at..]) as u64;
    let need = WHEAD as u64
        + n(8) * EVENT as u64
        + n(12) * ACCESS as u64
        + n(16) * WLEAF as u64
        + n(20) * WNODE as u64;
    if need != witness.len() as u64 {
        return Err("the witness's length does not match its counts");
    }
    if be32(&witness[24..]) != params.market {
        return Err("the witness is of another market");
    }
    let mut at = WHEAD + (n(8) as usize) * EVENT + (n(12) as usize) * ACCESS;
    let mut leaves = Vec::with_capacity(n(16) as usize);
    for _ in 0..n(16) {
        let c = &witness[at..at + WLEAF];
        let kind = be32(&c[12..]);
        if !(KIND_HEADER as u32..=KIND_BUCKET as u32).contains(&kind) {
            return Err("a witness leaf has a bad slot kind");
        }
        leaves.push(Leaf {
            kind: kind as u8,
            slot: be32(&c[8..]),
            before: c[24..88].try_into().unwrap(),
        });
        at += WLEAF;
    }
    let mut siblings = Vec::new();
    for _ in 0..n(20) {
        let c = &witness[at..at + WNODE];
        if be32(&c[12..]) == 0 {
            siblings.push(Sibling {
                level: be32(&c[8..]),
                index: be64(&c[0..]),
                hash: core::array::from_fn(|i| be64(&c[32 + 8 * i..])),
            });
        }
        at += WNODE;
    }
    Ok(encode(&WitnessInput {
        statement: *statement,
        params: *params,
        arity: be32(&witness[28..]),
        ops: ops
            .chunks_exact(OP_WIRE_SIZE)
            .map(|c| Op::decode(c.try_into().unwrap()))
            .collect(),
        leaves,
        siblings,
    }))
}
