// SPDX-License-Identifier: MIT
//! Poseidon2 over Goldilocks (p = 2^64 - 2^32 + 1), widths 8 and 12, the
//! fixed-length sponge and the width-8 compression, exactly as specified
//! in backends/stark/poseidon2.h (x^7 S-box, 8 full + 22 partial rounds,
//! M_E = circ(2·M4, M4, ...), M_I = J + diag(D)). Field arithmetic goes
//! through u128 and `%`: slower than the C engine's reductions, but short
//! and obviously right, which matters more inside a guest.

use crate::poseidon2_constants::*;

pub const P: u64 = 0xffff_ffff_0000_0001;
pub const DIGEST: usize = 4;

pub type Digest = [u64; DIGEST];

#[inline]
fn reduce(x: u128) -> u64 {
    (x % P as u128) as u64
}

#[inline]
pub fn add(a: u64, b: u64) -> u64 {
    reduce(a as u128 + b as u128)
}

#[inline]
fn mul(a: u64, b: u64) -> u64 {
    reduce(a as u128 * b as u128)
}

#[inline]
fn sbox7(x: u64) -> u64 {
    let x2 = mul(x, x);
    let x3 = mul(x2, x);
    let x4 = mul(x2, x2);
    mul(x3, x4)
}

/// M_E: each block of 4 times M4, plus the column sums over blocks.
fn external_layer(x: &mut [u64]) {
    let mut y = [0u128; 12];
    let mut col = [0u128; 4];
    for blk in (0..x.len()).step_by(4) {
        let (a, b, c, d) = (
            x[blk] as u128,
            x[blk + 1] as u128,
            x[blk + 2] as u128,
            x[blk + 3] as u128,
        );
        // M4 = [[5,7,1,3],[4,6,1,1],[1,3,5,7],[1,1,4,6]]
        y[blk] = 5 * a + 7 * b + c + 3 * d;
        y[blk + 1] = 4 * a + 6 * b + c + d;
        y[blk + 2] = a + 3 * b + 5 * c + 7 * d;
        y[blk + 3] = a + b + 4 * c + 6 * d;
        for i in 0..4 {
            col[i] += y[blk + i];
        }
    }
    for (i, v) in x.iter_mut().enumerate() {
        *v = reduce(y[i] + col[i & 3]);
    }
}

fn internal_layer(x: &mut [u64], diag: &[u64]) {
    let sum = reduce(x.iter().map(|&v| v as u128).sum());
    for (v, &d) in x.iter_mut().zip(diag) {
        *v = reduce(*v as u128 * d as u128 + sum as u128);
    }
}

fn permute(x: &mut [u64], rc_ext: &[&[u64]], rc_int: &[u64], diag: &[u64]) {
    let full = |x: &mut [u64], rc: &[u64]| {
        for (v, &c) in x.iter_mut().zip(rc) {
            *v = sbox7(add(*v, c));
        }
        external_layer(x);
    };
    external_layer(x);
    for rc in &rc_ext[..4] {
        full(x, rc);
    }
    for &c in rc_int {
        x[0] = sbox7(add(x[0], c));
        internal_layer(x, diag);
    }
    for rc in &rc_ext[4..] {
        full(x, rc);
    }
}

pub fn permute_w8(x: &mut [u64; 8]) {
    let rc: [&[u64]; 8] = core::array::from_fn(|i| &W8_RC_EXT[i][..]);
    permute(x, &rc, &W8_RC_INT, &W8_DIAG);
}

pub fn permute_w12(x: &mut [u64; 12]) {
    let rc: [&[u64]; 8] = core::array::from_fn(|i| &W12_RC_EXT[i][..]);
    permute(x, &rc, &W12_RC_INT, &W12_DIAG);
}

/// zk_p2_hash: width-12 sponge, rate 8, lane 8 = input length, lane 9 = 1.
/// Inputs must be canonical (< p).
pub fn hash(input: &[u64]) -> Digest {
    let mut s = [0u64; 12];
    s[8] = reduce(input.len() as u128);
    s[9] = 1;
    let mut pos = 0;
    for &v in input {
        if pos == 8 {
            permute_w12(&mut s);
            pos = 0;
        }
        s[pos] = add(s[pos], v);
        pos += 1;
    }
    permute_w12(&mut s);
    [s[0], s[1], s[2], s[3]]
}

/// zk_p2_compress_w8: (P(left ‖ right) + left ‖ right)[0..4].
pub fn compress_w8(left: &Digest, right: &Digest) -> Digest {
    let mut x = [0u64; 8];
    x[..4].copy_from_slice(left);
    x[4..].copy_from_slice(right);
    permute_w8(&mut x);
    core::array::from_fn(|i| add(x[i], left[i]))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Same vectors as tests/stark/test_poseidon2.c. Width 12 on [0..11]:
    // HorizenLabs/poseidon2 @ 055bde3f, poseidon2.rs kats. Width 8: Plonky3
    // @ 08368ad1, goldilocks/src/poseidon2.rs (HorizenLabs' instance).
    #[test]
    fn w12_kat_range() {
        let mut x: [u64; 12] = core::array::from_fn(|i| i as u64);
        permute_w12(&mut x);
        assert_eq!(
            x,
            [
                0x01eaef96bdf1c0c1,
                0x1f0d2cc525b2540c,
                0x6282c1dfe1e0358d,
                0xe780d721f698e1e6,
                0x280c0b6f753d833b,
                0x1b942dd5023156ab,
                0x43f0df3fcccb8398,
                0xe8e8190585489025,
                0x56bdbf72f77ada22,
                0x7911c32bf9dcd705,
                0xec467926508fbe67,
                0x6a50450ddf85a6ed,
            ]
        );
    }

    #[test]
    fn w8_kat_zeros() {
        let mut x = [0u64; 8];
        permute_w8(&mut x);
        assert_eq!(
            x,
            [
                4214787979728720400,
                12324939279576102560,
                10353596058419792404,
                15456793487362310586,
                10065219879212154722,
                16227496357546636742,
                2959271128466640042,
                14285409611125725709,
            ]
        );
    }

    #[test]
    fn w8_kat_range() {
        let mut x: [u64; 8] = core::array::from_fn(|i| i as u64);
        permute_w8(&mut x);
        assert_eq!(
            x,
            [
                14266028122062624699,
                5353147180106052723,
                15203350112844181434,
                17630919042639565165,
                16601551015858213987,
                10184091939013874068,
                16774100645754596496,
                12047415603622314780,
            ]
        );
    }

    #[test]
    fn w8_kat_random() {
        let mut x = [
            5116996373749832116,
            8931548647907683339,
            17132360229780760684,
            11280040044015983889,
            11957737519043010992,
            15695650327991256125,
            17604752143022812942,
            543194415197607509,
        ];
        permute_w8(&mut x);
        assert_eq!(
            x,
            [
                1831346684315917658,
                13497752062035433374,
                12149460647271516589,
                15656333994315312197,
                4671534937670455565,
                3140092508031220630,
                4251208148861706881,
                6973971209430822232,
            ]
        );
    }

    #[test]
    fn outputs_canonical_near_p() {
        let mut x = [P - 1; 12];
        permute_w12(&mut x);
        assert!(x.iter().all(|&v| v < P));
        let a = hash(&[1, 2, 3]);
        let b = hash(&[1, 2, 3, 0]);
        assert_ne!(a, b, "length is bound by the sponge");
    }
}
