// SPDX-License-Identifier: MIT
//! The witness guest on inputs built here from a dense book: the slots the
//! rules touched (tracked), their values before the batch, the siblings
//! from the whole tree. tests/zkvm checks the same guest on the C engine's
//! own witnesses; these tests cover rejection paths one by one.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec;
use alloc::vec::Vec;

use crate::book::*;
use crate::matching::apply_op;
use crate::poseidon2::{hash, Digest, DIGEST};
use crate::statetree::{self, node_hash, root_bytes, root_gl, Layout};
use crate::types::*;
use crate::witness::*;

fn params() -> MarketParams {
    MarketParams {
        market: 3,
        tick: 5,
        lot: 10,
        min_price: 100,
        max_price: 5000,
        max_qty: 10_000,
        stp: STP_CANCEL_OLDEST,
        max_orders: 64,
        max_levels: 16,
    }
}

fn run(m: &mut Market, ops: &[Op]) -> Vec<Event> {
    let mut ev = Vec::new();
    for op in ops {
        apply_op(Some(m), op, &mut ev);
    }
    ev
}

/// Every non-empty node of the tree, per level, and the empty digests.
fn tree(m: &Market, lay: &Layout) -> (Vec<BTreeMap<u64, Digest>>, Vec<Digest>) {
    let mut empty = vec![[0u64; DIGEST]];
    for l in 0..lay.depth as usize {
        empty.push(node_hash(lay.arity, &vec![empty[l]; lay.arity as usize]));
    }
    let mut lv = vec![BTreeMap::new()];
    for kind in KIND_HEADER..=KIND_BUCKET {
        for s in 0..m.slot_count(kind) {
            if !m.slot_is_pristine(kind, s) {
                lv[0].insert(
                    lay.offset[kind as usize] + s as u64,
                    hash(&statetree::encode(m, kind, s)),
                );
            }
        }
    }
    let a = lay.arity as u64;
    for l in 0..lay.depth as usize {
        let parents: BTreeSet<u64> = lv[l].keys().map(|i| i / a).collect();
        let mut next = BTreeMap::new();
        for p in parents {
            let ch: Vec<Digest> = (0..a)
                .map(|j| *lv[l].get(&(p * a + j)).unwrap_or(&empty[l]))
                .collect();
            next.insert(p, node_hash(lay.arity, &ch));
        }
        lv.push(next);
    }
    (lv, empty)
}

/// A guest input for `batch` applied after `setup`, as an honest host
/// would build it from the engine's witness.
fn build(arity: u32, setup: &[Op], batch: &[Op]) -> WitnessInput {
    let p = params();
    let mut before = Market::new(&p);
    run(&mut before, setup);
    let mut m = Market::new(&p);
    run(&mut m, setup);
    m.hdr.track();
    m.orders.track();
    m.levels.track();
    m.buckets.track();
    let events = run(&mut m, batch);
    let count: [u32; 5] = core::array::from_fn(|k| if k == 0 { 0 } else { m.slot_count(k as u8) });
    let lay = Layout::new(arity, count).unwrap();
    let mut leaves: Vec<(u64, Leaf)> = Vec::new();
    for (kind, idx) in [
        (KIND_HEADER, m.hdr.touched()),
        (KIND_ORDER, m.orders.touched()),
        (KIND_LEVEL, m.levels.touched()),
        (KIND_BUCKET, m.buckets.touched()),
    ] {
        for slot in idx {
            leaves.push((
                lay.offset[kind as usize] + slot as u64,
                Leaf {
                    kind,
                    slot,
                    before: before.slot_bytes(kind, slot).unwrap(),
                },
            ));
        }
    }
    leaves.sort_by_key(|l| l.0);
    let (nodes, empty) = tree(&before, &lay);
    let a = arity as u64;
    let mut cur: BTreeSet<u64> = leaves.iter().map(|l| l.0).collect();
    let mut siblings = Vec::new();
    for level in 0..lay.depth {
        let parents: BTreeSet<u64> = cur.iter().map(|i| i / a).collect();
        for &pa in &parents {
            for j in 0..a {
                let index = pa * a + j;
                if !cur.contains(&index) {
                    let h = *nodes[level as usize]
                        .get(&index)
                        .unwrap_or(&empty[level as usize]);
                    siblings.push(Sibling {
                        level,
                        index,
                        hash: h,
                    });
                }
            }
        }
        cur = parents;
    }
    siblings.sort_by_key(|s| (s.level, s.index));
    let mut st = [0u8; STATEMENT_SIZE];
    st[0..4].copy_from_slice(&p.market.to_be_bytes());
    st[4..8].copy_from_slice(&9u32.to_be_bytes());
    st[8..16].copy_from_slice(&77u64.to_be_bytes());
    st[16..24].copy_from_slice(&batch[0].seq.to_be_bytes());
    st[24..32].copy_from_slice(&batch[batch.len() - 1].seq.to_be_bytes());
    st[32..64].copy_from_slice(&root_bytes(&root_gl(&before, arity).unwrap()));
    st[64..96].copy_from_slice(&ops_digest(batch));
    st[96..128].copy_from_slice(&events_digest(&events));
    st[128..160].copy_from_slice(&root_bytes(&root_gl(&m, arity).unwrap()));
    WitnessInput {
        statement: st,
        params: p,
        arity,
        ops: batch.to_vec(),
        leaves: leaves.into_iter().map(|l| l.1).collect(),
        siblings,
    }
}

fn new(seq: u64, id: u64, acct: u64, side: u8, price: i64, qty: u64) -> Op {
    Op {
        seq,
        order_id: id,
        account: acct,
        price,
        qty,
        market: 3,
        op_type: OP_NEW,
        side,
        ord_type: ORD_LIMIT,
        tif: TIF_GTC,
        ..Default::default()
    }
}

fn cancel(seq: u64, id: u64, acct: u64) -> Op {
    Op {
        seq,
        order_id: id,
        account: acct,
        market: 3,
        op_type: OP_CANCEL,
        ..Default::default()
    }
}

/// A book with buy levels 1000, 990, 980 and sell levels 1020, 1030.
fn setup() -> Vec<Op> {
    vec![
        new(1, 1, 1, SIDE_BUY, 1000, 20),
        new(2, 2, 2, SIDE_BUY, 990, 30),
        new(3, 3, 3, SIDE_BUY, 980, 40),
        new(4, 4, 4, SIDE_SELL, 1020, 50),
        new(5, 5, 5, SIDE_SELL, 1030, 60),
        new(6, 6, 6, SIDE_BUY, 1000, 70),
    ]
}

/// Trades, a new level between two others, an emptied level, a cancel,
/// an unknown cancel.
fn batch() -> Vec<Op> {
    vec![
        new(10, 10, 9, SIDE_SELL, 1000, 50),
        new(11, 11, 9, SIDE_BUY, 985, 10),
        cancel(12, 2, 2),
        cancel(13, 99, 2),
        new(14, 12, 8, SIDE_SELL, 1025, 10),
    ]
}

fn reject(w: &WitnessInput) -> WitnessError {
    execute(&encode(w)).expect_err("a tampered input must be rejected")
}

#[test]
fn honest_inputs_give_the_dense_statement() {
    for arity in [2, 4] {
        let w = build(arity, &setup(), &batch());
        assert!(w.leaves.len() > 10 && !w.siblings.is_empty());
        assert_eq!(
            execute(&encode(&w)),
            Ok(public_values(&w.statement, &w.params))
        );
    }
}

#[test]
fn generated_traffic_batches_verify() {
    let mut s = 0x1234_5678_9abc_def0u64;
    let mut rnd = |n: u64| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s % n
    };
    let mut hist: Vec<Op> = Vec::new();
    let mut seq = 1;
    for round in 0..12 {
        let mut b = Vec::new();
        for _ in 0..16 {
            let id = 1 + rnd(40);
            let op = match rnd(4) {
                0 => cancel(seq, id, id % 7),
                _ => new(
                    seq,
                    id,
                    id % 7,
                    1 + rnd(2) as u8,
                    950 + 5 * rnd(20) as i64,
                    10 * (1 + rnd(8)),
                ),
            };
            b.push(op);
            seq += 1;
        }
        let arity = if round % 2 == 0 { 4 } else { 2 };
        let w = build(arity, &hist, &b);
        assert_eq!(
            execute(&encode(&w)),
            Ok(public_values(&w.statement, &w.params)),
            "round {}",
            round
        );
        // Any slot the batch touched, dropped: rejected, never a panic.
        for _ in 0..4 {
            let mut t = build(arity, &hist, &b);
            let l = t.leaves.remove(rnd(t.leaves.len() as u64) as usize);
            let mut m = Market::sparse(&params());
            m.set_slot_bytes(l.kind, l.slot, &l.before).unwrap();
            let h = if m.slot_is_pristine(l.kind, l.slot) {
                [0; DIGEST]
            } else {
                hash(&statetree::encode(&m, l.kind, l.slot))
            };
            let lay = Layout::new(arity, [0, 1, 64, 16, 128]).unwrap();
            let index = lay.offset[l.kind as usize] + l.slot as u64;
            t.siblings.push(Sibling {
                level: 0,
                index,
                hash: h,
            });
            t.siblings.sort_by_key(|s| (s.level, s.index));
            assert!(execute(&encode(&t)).is_err(), "round {}", round);
        }
        hist.extend(b);
    }
}

#[test]
fn wrong_before_value_is_rejected() {
    let mut w = build(4, &setup(), &batch());
    // remaining of an order: a value that decodes, under the wrong root
    let i = w
        .leaves
        .iter()
        .position(|l| l.kind == KIND_ORDER && l.before[24] != 0)
        .unwrap();
    w.leaves[i].before[24] ^= 0x10;
    assert_eq!(reject(&w), WitnessError::OldRootMismatch);
}

#[test]
fn wrong_sibling_is_rejected() {
    for k in [0, 7] {
        let mut w = build(2, &setup(), &batch());
        let n = w.siblings.len();
        w.siblings[k % n].hash[1] ^= 1;
        assert_eq!(reject(&w), WitnessError::OldRootMismatch);
    }
}

#[test]
fn missing_slot_is_rejected() {
    // Dropped with its digest given as a sibling: the paths still give
    // old_root, and the batch then reads a slot it was not given.
    let full = build(4, &setup(), &batch());
    let lay = Layout::new(4, [0, 1, 64, 16, 128]).unwrap();
    let p = params();
    let mut dense = Market::new(&p);
    run(&mut dense, &setup());
    let mut faults = 0;
    for drop in 0..full.leaves.len() {
        let mut w = build(4, &setup(), &batch());
        let l = w.leaves.remove(drop);
        let index = lay.offset[l.kind as usize] + l.slot as u64;
        let h = if dense.slot_is_pristine(l.kind, l.slot) {
            [0; DIGEST]
        } else {
            hash(&statetree::encode(&dense, l.kind, l.slot))
        };
        w.siblings.push(Sibling {
            level: 0,
            index,
            hash: h,
        });
        w.siblings.sort_by_key(|s| (s.level, s.index));
        match reject(&w) {
            WitnessError::Fault(_, _) => faults += 1,
            // the dropped leaf was its parent's only touched child: the
            // parent now needs a sibling of its own level
            WitnessError::SiblingMissing { .. } => {}
            e => panic!("leaf {}: {:?}", drop, e),
        }
    }
    assert!(
        faults * 2 >= full.leaves.len(),
        "{} of {}",
        faults,
        full.leaves.len()
    );
    // Dropped outright: its path cannot be completed.
    let mut w = build(4, &setup(), &batch());
    w.leaves.remove(0);
    assert!(matches!(reject(&w), WitnessError::SiblingMissing { .. }));
}

#[test]
fn unproven_level_gap_is_rejected() {
    // The new buy level at 985 sits between 990 and 980: drop the level at
    // 980 (its digest kept as a sibling) and the guest cannot show that
    // the witnessed neighbours are adjacent.
    let mut w = build(2, &setup(), &batch());
    let lay = Layout::new(2, [0, 1, 64, 16, 128]).unwrap();
    let i = w
        .leaves
        .iter()
        .position(|l| l.kind == KIND_LEVEL && l.before[0..8] == 980i64.to_le_bytes())
        .unwrap();
    let l = w.leaves.remove(i);
    let mut m = Market::sparse(&params());
    m.set_slot_bytes(l.kind, l.slot, &l.before).unwrap();
    let h = hash(&statetree::encode(&m, l.kind, l.slot));
    w.siblings.push(Sibling {
        level: 0,
        index: lay.offset[l.kind as usize] + l.slot as u64,
        hash: h,
    });
    w.siblings.sort_by_key(|s| (s.level, s.index));
    assert_eq!(
        reject(&w),
        WitnessError::Fault(1, Fault::LevelGapNotProven(177))
    );
}

#[test]
fn reordered_ops_are_rejected() {
    let w = build(4, &setup(), &batch());
    for (a, b) in [(0, 1), (2, 3), (1, 4)] {
        let mut t = build(4, &setup(), &batch());
        t.ops.swap(a, b);
        let e = reject(&t);
        assert!(e != WitnessError::OldRootMismatch, "{:?}", e);
    }
    let mut t = build(4, &setup(), &batch());
    t.ops.pop();
    assert_eq!(reject(&t), WitnessError::LastSeqMismatch);
    assert_eq!(
        execute(&encode(&w)),
        Ok(public_values(&w.statement, &w.params))
    );
}

#[test]
fn statement_fields_are_checked() {
    for (at, want) in [
        (0, WitnessError::MarketMismatch),
        (20, WitnessError::FirstSeqMismatch),
        (30, WitnessError::LastSeqMismatch),
        (40, WitnessError::OldRootMismatch),
        (70, WitnessError::OpsDigestMismatch),
        (100, WitnessError::EventsDigestMismatch),
        (150, WitnessError::NewRootMismatch),
    ] {
        let mut w = build(2, &setup(), &batch());
        w.statement[at] ^= 1;
        assert_eq!(reject(&w), want, "byte {}", at);
    }
}

#[test]
fn malformed_inputs_are_errors() {
    let good = encode(&build(2, &setup(), &batch()));
    for cut in [0, 10, HEAD - 1, HEAD + 5, good.len() - 1] {
        assert_eq!(
            execute(&good[..cut]).err(),
            Some(WitnessError::Truncated),
            "{}",
            cut
        );
    }
    let mut long = good.clone();
    long.push(0);
    assert_eq!(execute(&long).err(), Some(WitnessError::TrailingBytes));
    let mut b = good.clone();
    b[4] = 1;
    assert_eq!(execute(&b).err(), Some(WitnessError::BadVersion));
    let mut b = good.clone();
    b[HEAD - 12..HEAD - 8].copy_from_slice(&u32::MAX.to_be_bytes());
    assert_eq!(
        execute(&b).err(),
        Some(WitnessError::Truncated),
        "lying op count"
    );
    let mut w = build(2, &setup(), &batch());
    w.arity = 3;
    assert_eq!(reject(&w), WitnessError::BadArity);
    let mut w = build(2, &setup(), &batch());
    w.leaves.swap(0, 1);
    assert_eq!(reject(&w), WitnessError::LeafOrder);
    let mut w = build(2, &setup(), &batch());
    w.siblings.swap(0, 1);
    assert_eq!(reject(&w), WitnessError::SiblingOrder);
    let mut w = build(2, &setup(), &batch());
    w.siblings[0].hash[0] = crate::poseidon2::P;
    assert_eq!(reject(&w), WitnessError::SiblingNotCanonical);
    let mut w = build(2, &setup(), &batch());
    w.leaves[0].before[63] = 1;
    assert_eq!(
        reject(&w),
        WitnessError::LeafValue(SnapshotError::NonZeroPadding)
    );
    let mut w = build(2, &setup(), &batch());
    w.ops.clear();
    assert_eq!(reject(&w), WitnessError::NoOps);
}

#[test]
fn public_values_bind_the_market_rules() {
    let w = build(2, &setup(), &batch());
    let honest = execute(&encode(&w)).unwrap();
    assert_eq!(&honest[..STATEMENT_SIZE], &w.statement[..]);
    // Other rules under which this batch happens to give the same
    // statement: the guest accepts, but commits them, so a verifier
    // comparing the record with its own configuration refuses.
    let mut t = build(2, &setup(), &batch());
    t.params.max_qty += 10;
    let other = execute(&encode(&t)).unwrap();
    assert_eq!(other[..STATEMENT_SIZE], honest[..STATEMENT_SIZE]);
    assert_ne!(other, honest);
}

#[test]
fn byte_mutations_are_refused_or_visible() {
    // Any single changed byte is refused, or shows in what the guest
    // commits (the caller's labels params_id / batch_seq, the market
    // record); never a panic.
    let good = encode(&build(4, &setup(), &batch()));
    let labels = 8 + 4..8 + 16;
    let market = 8 + STATEMENT_SIZE..8 + STATEMENT_SIZE + 56;
    let mut s = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..300 {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        let at = (s % good.len() as u64) as usize;
        let mut b = good.clone();
        b[at] ^= 1 + (s >> 32) as u8 % 255;
        if let Ok(pv) = execute(&b) {
            assert!(labels.contains(&at) || market.contains(&at), "byte {}", at);
            assert_eq!(&pv[..], &b[8..8 + PUBLIC_SIZE]);
        }
    }
}
