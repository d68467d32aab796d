// SPDX-License-Identifier: MIT
//! BLAKE2b (RFC 7693), unkeyed, with the parameter block's salt left zero
//! and an optional 16-byte personalisation: all the events and ops digests
//! need. Written from the RFC because the guest cannot pull crates; the
//! tests pin it to the RFC's appendix A vector and to hashlib outputs.

const IV: [u64; 8] = [
    0x6a09e667f3bcc908,
    0xbb67ae8584caa73b,
    0x3c6ef372fe94f82b,
    0xa54ff53a5f1d36f1,
    0x510e527fade682d1,
    0x9b05688c2b3e6c1f,
    0x1f83d9abfb41bd6b,
    0x5be0cd19137e2179,
];

const SIGMA: [[usize; 16]; 12] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
    [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
    [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
    [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
    [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
    [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
    [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
    [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
    [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
];

const BLOCK: usize = 128;

/// Streaming BLAKE2b state.
#[derive(Clone)]
pub struct Blake2b {
    h: [u64; 8],
    t: u128,
    buf: [u8; BLOCK],
    buf_len: usize,
    out_len: usize,
}

#[inline(always)]
fn g(v: &mut [u64; 16], a: usize, b: usize, c: usize, d: usize, x: u64, y: u64) {
    v[a] = v[a].wrapping_add(v[b]).wrapping_add(x);
    v[d] = (v[d] ^ v[a]).rotate_right(32);
    v[c] = v[c].wrapping_add(v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(24);
    v[a] = v[a].wrapping_add(v[b]).wrapping_add(y);
    v[d] = (v[d] ^ v[a]).rotate_right(16);
    v[c] = v[c].wrapping_add(v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(63);
}

impl Blake2b {
    /// Unkeyed BLAKE2b with `out_len` (1..=64) output bytes and the given
    /// personalisation (zero-padded to 16 bytes; longer is truncated).
    pub fn new(out_len: usize, personal: &[u8]) -> Self {
        assert!(
            (1..=64).contains(&out_len),
            "BLAKE2b output is 1..=64 bytes"
        );
        let mut p = [0u8; 16];
        let n = personal.len().min(16);
        p[..n].copy_from_slice(&personal[..n]);
        let mut h = IV;
        // Parameter block word 0: digest length, key length 0, fanout 1,
        // depth 1 (sequential mode).
        h[0] ^= 0x0101_0000 ^ out_len as u64;
        h[6] ^= u64::from_le_bytes(p[..8].try_into().unwrap());
        h[7] ^= u64::from_le_bytes(p[8..].try_into().unwrap());
        Blake2b {
            h,
            t: 0,
            buf: [0; BLOCK],
            buf_len: 0,
            out_len,
        }
    }

    fn compress(&mut self, block: &[u8; BLOCK], last: bool) {
        let mut m = [0u64; 16];
        for (i, w) in m.iter_mut().enumerate() {
            *w = u64::from_le_bytes(block[i * 8..i * 8 + 8].try_into().unwrap());
        }
        let mut v = [0u64; 16];
        v[..8].copy_from_slice(&self.h);
        v[8..].copy_from_slice(&IV);
        v[12] ^= self.t as u64;
        v[13] ^= (self.t >> 64) as u64;
        if last {
            v[14] = !v[14];
        }
        for s in SIGMA.iter() {
            g(&mut v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
            g(&mut v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
            g(&mut v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
            g(&mut v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
            g(&mut v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
            g(&mut v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
            g(&mut v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
            g(&mut v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
        }
        for i in 0..8 {
            self.h[i] ^= v[i] ^ v[i + 8];
        }
    }

    pub fn update(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            // The last block must go through compress(last = true), so a
            // full buffer is only flushed once more input is known to follow.
            if self.buf_len == BLOCK {
                self.t += BLOCK as u128;
                let block = self.buf;
                self.compress(&block, false);
                self.buf_len = 0;
            }
            let take = (BLOCK - self.buf_len).min(data.len());
            self.buf[self.buf_len..self.buf_len + take].copy_from_slice(&data[..take]);
            self.buf_len += take;
            data = &data[take..];
        }
    }

    /// Writes the digest into `out[..out_len]`.
    pub fn finalize_into(mut self, out: &mut [u8]) {
        self.t += self.buf_len as u128;
        self.buf[self.buf_len..].fill(0);
        let block = self.buf;
        self.compress(&block, true);
        let mut full = [0u8; 64];
        for (i, w) in self.h.iter().enumerate() {
            full[i * 8..i * 8 + 8].copy_from_slice(&w.to_le_bytes());
        }
        out[..self.out_len].copy_from_slice(&full[..self.out_len]);
    }

    /// 32-byte digest; the state must have been created with out_len 32.
    pub fn finalize32(self) -> [u8; 32] {
        assert_eq!(self.out_len, 32);
        let mut out = [0u8; 32];
        self.finalize_into(&mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> alloc::string::String {
        use core::fmt::Write;
        let mut s = alloc::string::String::new();
        for x in b {
            write!(s, "{:02x}", x).unwrap();
        }
        s
    }

    fn digest(out_len: usize, personal: &[u8], data: &[u8]) -> alloc::string::String {
        let mut st = Blake2b::new(out_len, personal);
        st.update(data);
        let mut out = [0u8; 64];
        st.finalize_into(&mut out);
        hex(&out[..out_len])
    }

    #[test]
    fn rfc7693_appendix_a_abc() {
        // RFC 7693, Appendix A: BLAKE2b-512("abc").
        assert_eq!(
            digest(64, b"", b"abc"),
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1\
             7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"
        );
    }

    #[test]
    fn empty_input_512() {
        // BLAKE2b-512(""), reference output of the BLAKE2 authors' b2sum.
        assert_eq!(
            digest(64, b"", b""),
            "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419\
             d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce"
        );
    }

    #[test]
    fn personalised_matches_hashlib() {
        // hashlib.blake2b(b"abc", digest_size=32,
        //                 person=b"zkclob-events-v1").hexdigest()
        assert_eq!(
            digest(32, b"zkclob-events-v1", b"abc"),
            "a5b6b2eb86b21f011a70bda7fbf68f1d00084c2398b4cd45113ea05f7299d34d"
        );
    }

    #[test]
    fn chunking_does_not_matter() {
        let data: alloc::vec::Vec<u8> = (0..1000u32).map(|i| (i * 7 + 3) as u8).collect();
        let whole = digest(32, b"p", &data);
        for chunk in [1usize, 63, 64, 127, 128, 129, 500] {
            let mut st = Blake2b::new(32, b"p");
            for c in data.chunks(chunk) {
                st.update(c);
            }
            assert_eq!(hex(&st.finalize32()), whole, "chunk {}", chunk);
        }
        // Exactly one and two full blocks exercise the deferred flush.
        for n in [128usize, 256] {
            let a = digest(32, b"", &data[..n]);
            let b = digest(32, b"", &data[..n + 1]);
            assert_ne!(a, b);
        }
    }
}
