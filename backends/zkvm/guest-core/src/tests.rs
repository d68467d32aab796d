// SPDX-License-Identifier: MIT
//! Unit tests of the core on its own; byte-for-byte agreement with the C
//! engine is tests/zkvm's differential test.

use alloc::vec;
use alloc::vec::Vec;

use crate::book::*;
use crate::input::{self, InputError};
use crate::types::*;
use crate::*;

fn params(market: u32, stp: u32) -> MarketParams {
    MarketParams {
        market,
        tick: 2,
        lot: 5,
        min_price: 2,
        max_price: 2000,
        max_qty: 500,
        stp,
        max_orders: 8,
        max_levels: 4,
    }
}

fn gtc(seq: u64, id: u64, account: u64, side: u8, price: i64, qty: u64) -> Op {
    Op {
        seq,
        order_id: id,
        account,
        price,
        qty,
        market: 1,
        op_type: OP_NEW,
        side,
        ord_type: ORD_LIMIT,
        tif: TIF_GTC,
        ..Default::default()
    }
}

/// A tiny deterministic generator, so the tests need no crates.
fn next(s: &mut u64) -> u64 {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    *s
}

fn random_ops(seed: u64, n: usize) -> Vec<Op> {
    let mut s = seed | 1;
    (0..n)
        .map(|i| {
            let r = next(&mut s);
            let mut op = gtc(
                i as u64 + 1,
                1 + r % 20,
                1 + (r >> 8) % 3,
                1 + ((r >> 12) & 1) as u8,
                90 + 2 * ((r >> 16) % 10) as i64,
                5 * (1 + (r >> 24) % 4),
            );
            match (r >> 32) % 4 {
                0 => {
                    op.op_type = OP_CANCEL;
                    op.side = 0;
                    op.ord_type = 0;
                    op.tif = 0;
                    op.price = 0;
                    op.qty = 0;
                }
                1 => op.tif = TIF_IOC,
                _ => {}
            }
            op
        })
        .collect()
}

#[test]
fn price_time_priority_and_maker_price() {
    let mut e = Engine::new(&[params(1, STP_CANCEL_NEWEST)]).unwrap();
    let mut ev = Vec::new();
    e.apply(&gtc(1, 10, 1, SIDE_SELL, 100, 10), &mut ev);
    e.apply(&gtc(2, 11, 2, SIDE_SELL, 100, 10), &mut ev);
    e.apply(&gtc(3, 12, 2, SIDE_SELL, 98, 5), &mut ev);
    ev.clear();
    e.apply(&gtc(4, 20, 3, SIDE_BUY, 100, 20), &mut ev);
    let kinds: Vec<(u8, u64, i64, u64)> = ev
        .iter()
        .map(|x| (x.ev_type, x.other_id, x.price, x.qty))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (EV_ACCEPTED, 0, 100, 20),
            (EV_TRADE, 12, 98, 5),
            (EV_DONE, 0, 98, 0),
            (EV_TRADE, 10, 100, 10),
            (EV_DONE, 0, 100, 0),
            (EV_TRADE, 11, 100, 5),
            (EV_DONE, 0, 100, 0),
        ]
    );
    // The taker is done; order 11 keeps 5 lots at the head of its level.
    assert_eq!(ev.last().unwrap().order_id, 20);
    let lvl = e.slot_bytes(1, KIND_LEVEL, 0).unwrap();
    assert_eq!(u64::from_le_bytes(lvl[8..16].try_into().unwrap()), 5);
}

#[test]
fn rejects_change_nothing() {
    let mut e = Engine::new(&[params(1, STP_CANCEL_NEWEST)]).unwrap();
    let mut ev = Vec::new();
    e.apply(&gtc(1, 10, 1, SIDE_SELL, 100, 10), &mut ev);
    let before = e.slots_digest();
    let mut bad = gtc(2, 11, 1, SIDE_SELL, 101, 10);
    ev.clear();
    e.apply(&bad, &mut ev);
    assert_eq!((ev[0].ev_type, ev[0].reason), (EV_REJECTED, REJ_BAD_TICK));
    bad.price = 100;
    bad.reserved = [0, 0, 1];
    e.apply(&bad, &mut ev);
    assert_eq!(ev[1].reason, REJ_MALFORMED);
    bad.reserved = [0; 3];
    bad.market = 7;
    e.apply(&bad, &mut ev);
    assert_eq!(ev[2].reason, REJ_UNKNOWN_MARKET);
    assert_eq!(e.slots_digest(), before);
}

#[test]
fn snapshot_resumes_identically() {
    let ops = random_ops(42, 3000);
    let ps = [params(1, STP_CANCEL_BOTH)];
    let mut a = Engine::new(&ps).unwrap();
    let first = run_batch(&mut a, &ops[..1500]);
    assert!(first.events.len() >= 1500);
    let snap = a.non_pristine_slots();
    let mut b = Engine::new(&ps).unwrap();
    b.load_snapshot(snap.iter().map(|(m, k, s, v)| (*m, *k, *s, v)))
        .unwrap();
    assert_eq!(a.slots_digest(), b.slots_digest());
    let ra = run_batch(&mut a, &ops[1500..]);
    let rb = run_batch(&mut b, &ops[1500..]);
    assert_eq!(ra.events, rb.events);
    assert_eq!(ra.events_digest, rb.events_digest);
    assert_eq!(a.slots_digest(), b.slots_digest());
}

#[test]
fn snapshot_with_bad_links_is_refused() {
    let ps = [params(1, STP_CANCEL_NEWEST)];
    let mut e = Engine::new(&ps).unwrap();
    let mut v = e.slot_bytes(1, KIND_ORDER, 0).unwrap();
    v[36..40].copy_from_slice(&100u32.to_le_bytes());
    let r = e.load_snapshot([(1, KIND_ORDER, 0, &v)]);
    assert_eq!(
        r.err(),
        Some(EngineError::Snapshot(1, SnapshotError::LinkOutOfRange))
    );
    let mut v = [0u8; 64];
    v[60] = 1;
    let r = e.load_snapshot([(1, KIND_BUCKET, 0, &v)]);
    assert_eq!(
        r.err(),
        Some(EngineError::Snapshot(1, SnapshotError::NonZeroPadding))
    );
}

#[test]
fn input_roundtrip_and_errors() {
    let inp = input::Input {
        markets: vec![params(1, 0), params(2, 1)],
        slots: vec![input::SlotEntry {
            market: 1,
            kind: KIND_BUCKET,
            slot: 3,
            value: [0; 64],
        }],
        batches: vec![random_ops(7, 10), Vec::new()],
    };
    let mut inp2 = inp;
    inp2.batches[0][3].reserved = [9, 0, 0];
    let bytes = input::encode(&inp2);
    let back = input::decode(&bytes).unwrap();
    assert_eq!(back.markets, inp2.markets);
    assert_eq!(back.batches, inp2.batches);
    for cut in [0, 7, 8, 20, bytes.len() - 1] {
        assert!(input::decode(&bytes[..cut]).is_err(), "cut {}", cut);
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(
        input::decode(&longer).err(),
        Some(InputError::TrailingBytes)
    );
    let mut lying = bytes.clone();
    lying[8..12].copy_from_slice(&u32::MAX.to_be_bytes());
    assert_eq!(input::decode(&lying).err(), Some(InputError::Truncated));
}

#[test]
fn bad_params_are_refused() {
    let mut p = params(1, 0);
    p.tick = 0;
    assert_eq!(Engine::new(&[p]).err(), Some(EngineError::BadParams(1)));
    assert_eq!(
        Engine::new(&[params(3, 0), params(3, 1)]).err(),
        Some(EngineError::DuplicateMarket(3))
    );
    assert_eq!(Engine::new(&[]).err(), Some(EngineError::NoMarkets));
}
