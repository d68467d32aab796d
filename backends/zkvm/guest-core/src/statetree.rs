// SPDX-License-Identifier: MIT
//! The book commitment of include/zkclob/statetree.h, recomputed from a
//! market's slots: same layout (kind regions, largest first), same leaf
//! encoding (kind, market, slot, then fields; u64 as two 32-bit limbs low
//! first), pristine slots as the zero digest, arity-2 nodes by
//! compress_w8 or arity-4 nodes by the tagged width-12 sponge, roots as 4
//! little-endian u64. Only non-empty paths are hashed, so the cost is
//! (non-pristine slots) x depth, not the market's capacity.

use alloc::vec;
use alloc::vec::Vec;

use crate::book::*;
use crate::poseidon2::{add, compress_w8, hash, permute_w12, Digest, DIGEST};

pub const LEAF_ELEMS: usize = 16;

/// Leaf positions of one market's tree (struct zk_st_layout).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    pub arity: u32,
    pub depth: u32,
    pub offset: [u64; 5], // by kind; [0] unused
}

impl Layout {
    /// zk_st_layout_init; None for an arity other than 2 or 4.
    pub fn new(arity: u32, count: [u32; 5]) -> Option<Layout> {
        if arity != 2 && arity != 4 {
            return None;
        }
        let size: [u64; 5] = core::array::from_fn(|k| {
            if k == 0 || count[k] == 0 {
                0
            } else {
                (count[k] as u64).next_power_of_two()
            }
        });
        let mut order = [1usize, 2, 3, 4];
        // Stable: on equal sizes the lower kind stays first.
        order.sort_by(|a, b| size[*b].cmp(&size[*a]));
        let mut offset = [0u64; 5];
        let mut total = 0u64;
        for k in order {
            offset[k] = total;
            total += size[k];
        }
        let (mut leaves, mut depth) = (1u64, 0u32);
        while leaves < total {
            leaves <<= if arity == 4 { 2 } else { 1 };
            depth += 1;
        }
        Some(Layout {
            arity,
            depth,
            offset,
        })
    }
}

fn limbs(out: &mut [u64; LEAF_ELEMS], at: &mut usize, x: u64) {
    out[*at] = x & 0xffff_ffff;
    out[*at + 1] = x >> 32;
    *at += 2;
}

/// zk_st_encode for a slot held by the engine (its padding is zero).
pub fn encode(m: &Market, kind: u8, slot: u32) -> [u64; LEAF_ELEMS] {
    let mut o = [0u64; LEAF_ELEMS];
    o[0] = kind as u64;
    o[1] = m.p.market as u64;
    o[2] = slot as u64;
    let mut at = 3;
    let i = slot as usize;
    let push = |o: &mut [u64; LEAF_ELEMS], at: &mut usize, v: u32| {
        o[*at] = v as u64;
        *at += 1;
    };
    match kind {
        KIND_HEADER => {
            let h = &m.hdr[0];
            for v in [
                h.best_bid,
                h.best_ask,
                h.order_free,
                h.level_free,
                h.n_orders,
                h.n_levels,
            ] {
                push(&mut o, &mut at, v);
            }
        }
        KIND_ORDER => {
            let s = &m.orders[i];
            for v in [s.id, s.account, s.price as u64, s.remaining] {
                limbs(&mut o, &mut at, v);
            }
            for v in [s.prev, s.next, s.level, s.stp_group, s.side as u32] {
                push(&mut o, &mut at, v);
            }
        }
        KIND_LEVEL => {
            let l = &m.levels[i];
            limbs(&mut o, &mut at, l.price as u64);
            limbs(&mut o, &mut at, l.total);
            for v in [l.head, l.tail, l.better, l.worse, l.side as u32] {
                push(&mut o, &mut at, v);
            }
        }
        _ => {
            let b = &m.buckets[i];
            limbs(&mut o, &mut at, b.id);
            push(&mut o, &mut at, b.order);
        }
    }
    o
}

/// zk_st_node_hash.
pub fn node_hash(arity: u32, ch: &[Digest]) -> Digest {
    if arity == 2 {
        return compress_w8(&ch[0], &ch[1]);
    }
    let mut s = [0u64; 12];
    s[..4].copy_from_slice(&ch[0]);
    s[4..8].copy_from_slice(&ch[1]);
    s[10] = 4; // domain tag of the 4-ary node sponge
    permute_w12(&mut s);
    for i in 0..DIGEST {
        s[i] = add(s[i], ch[2][i]);
        s[DIGEST + i] = add(s[DIGEST + i], ch[3][i]);
    }
    permute_w12(&mut s);
    [s[0], s[1], s[2], s[3]]
}

/// Root of one market's slots as 4 field elements.
pub fn root_gl(m: &Market, arity: u32) -> Option<Digest> {
    let count: [u32; 5] = core::array::from_fn(|k| if k == 0 { 0 } else { m.slot_count(k as u8) });
    let lay = Layout::new(arity, count)?;
    let mut empty = vec![[0u64; DIGEST]];
    for l in 0..lay.depth as usize {
        let ch = vec![empty[l]; arity as usize];
        empty.push(node_hash(arity, &ch));
    }
    let mut cur: Vec<(u64, Digest)> = Vec::new();
    for kind in KIND_HEADER..=KIND_BUCKET {
        for s in 0..count[kind as usize] {
            if !m.slot_is_pristine(kind, s) {
                cur.push((
                    lay.offset[kind as usize] + s as u64,
                    hash(&encode(m, kind, s)),
                ));
            }
        }
    }
    cur.sort_unstable_by_key(|e| e.0);
    let a = arity as u64;
    for empty_child in &empty[..lay.depth as usize] {
        let mut next = Vec::with_capacity(cur.len() / 2 + 1);
        let mut i = 0;
        while i < cur.len() {
            let parent = cur[i].0 / a;
            let mut ch = vec![*empty_child; arity as usize];
            while i < cur.len() && cur[i].0 / a == parent {
                ch[(cur[i].0 % a) as usize] = cur[i].1;
                i += 1;
            }
            next.push((parent, node_hash(arity, &ch)));
        }
        cur = next;
    }
    Some(cur.first().map_or(empty[lay.depth as usize], |e| e.1))
}

/// 32-byte root: 4 canonical elements, 8 bytes little-endian each.
pub fn root_bytes(d: &Digest) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, v) in d.iter().enumerate() {
        out[8 * i..8 * i + 8].copy_from_slice(&v.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_places_largest_region_first() {
        // 8 orders, 4 levels, 16 buckets: buckets at 0, orders at 16,
        // levels at 24, header at 28; 29 leaves -> depth 5 (binary).
        let lay = Layout::new(2, [0, 1, 8, 4, 16]).unwrap();
        assert_eq!(lay.offset, [0, 28, 16, 24, 0]);
        assert_eq!(lay.depth, 5);
        assert_eq!(Layout::new(4, [0, 1, 8, 4, 16]).unwrap().depth, 3);
        assert!(Layout::new(3, [0, 1, 1, 1, 16]).is_none());
    }

    #[test]
    fn pristine_market_root_is_the_empty_tree() {
        let p = MarketParams {
            market: 1,
            tick: 1,
            lot: 1,
            min_price: 1,
            max_price: 100,
            max_qty: 10,
            stp: 0,
            max_orders: 8,
            max_levels: 4,
        };
        let m = Market::new(&p);
        let mut e = [0u64; DIGEST];
        for _ in 0..5 {
            e = node_hash(2, &[e, e]);
        }
        assert_eq!(root_gl(&m, 2), Some(e));
    }
}
