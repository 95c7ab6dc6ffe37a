//! Bidirectional attention on the AMX tile unit, for a pack of texts text
//! by text, with one key–value head shared by every query head
//! (EmbeddingGemma's layout), the queries and keys already rotated
//! ([`crate::rotary`]): the scores and the weighted sum of the values as
//! two bfloat16 products
//! (the text's keys, and its values turned on their side, packed as the
//! weights), the softmax between them in f32; the texts shared among the
//! threads.
//!
//! With candle's operations, attention had come to a quarter of a
//! 1,000-word draft's embedding: a dozen small tensors per text and layer
//! (a copy for each transpose; a matrix product that asked the operating
//! system for the number of cores each time). On the tile unit it takes
//! about half the time. Used with the bfloat16 projections only: at f32
//! the encoder keeps candle's f32 attention, as exact as the reference.

use std::mem::MaybeUninit;

use rayon::prelude::*;

/// The shapes of one layer's attention.
#[derive(Clone, Copy)]
pub(crate) struct Heads {
    /// Query heads.
    pub(crate) heads: usize,
    /// Values per head.
    pub(crate) dim: usize,
    /// Factor of the dot products.
    pub(crate) scale: f32,
}

/// The attention of every text of a pack: `q` (tokens × heads × dim),
/// `k` and `v` (tokens × dim) for the whole pack, `spans` the texts'
/// (start, tokens), consecutive from 0. Returns the contexts, tokens ×
/// (heads · dim), each token's heads side by side. The caller has checked
/// [`crate::amx::available`]; `dim` is a multiple of 32.
pub(crate) fn attend(
    q: &[f32],
    k: &[f32],
    v: &[f32],
    spans: &[(usize, usize)],
    shape: Heads,
) -> Vec<f32> {
    let (nq, d) = (shape.heads, shape.dim);
    let total: usize = spans.iter().map(|s| s.1).sum();
    assert!(
        q.len() == total * nq * d && k.len() == total * d && v.len() == total * d,
        "a pack of {total} tokens"
    );
    assert!(
        d.is_multiple_of(32),
        "heads of {d} values: not a multiple of 32"
    );
    let mut out: Vec<f32> = Vec::with_capacity(total * nq * d);
    // Each text's rows of the output, in order.
    let mut rest = &mut out.spare_capacity_mut()[..total * nq * d];
    let mut jobs = Vec::with_capacity(spans.len());
    for &(start, t) in spans {
        let (mine, after) = rest.split_at_mut(t * nq * d);
        jobs.push((start, t, mine));
        rest = after;
    }
    jobs.into_par_iter().for_each(|(start, t, o)| {
        let q = &q[start * nq * d..(start + t) * nq * d];
        let k = &k[start * d..(start + t) * d];
        let v = &v[start * d..(start + t) * d];
        one_text(q, k, v, t, shape, o);
    });
    // SAFETY: the texts' rows cover all total · heads · dim values (the
    // spans are consecutive from 0: `forward` builds them so), and
    // `one_text` writes every value of its rows.
    unsafe { out.set_len(total * nq * d) };
    out
}

/// One text of `t` tokens: its (rotated) queries and keys, and its values; writes its
/// contexts into `out` (t × heads × dim). The keys and the values are
/// padded with zeros to a multiple of 32 tokens (the tiles' step), the
/// padding's weights set to 0 after the softmax.
fn one_text(q: &[f32], k: &[f32], v: &[f32], t: usize, shape: Heads, out: &mut [MaybeUninit<f32>]) {
    use crate::amx::PackedBf16;
    let d = shape.dim;
    let padded = t.next_multiple_of(32);
    let mut keys = vec![0f32; padded * d];
    keys[..t * d].copy_from_slice(k);
    let keys = PackedBf16::pack(&keys, padded, d).expect("shapes checked by `attend`");
    let mut weights = keys.product(q);
    for row in weights.chunks_exact_mut(padded) {
        let (real, pad) = row.split_at_mut(t);
        for w in real.iter_mut() {
            *w *= shape.scale;
        }
        crate::vector::softmax(real);
        pad.fill(0.0);
    }
    let mut columns = vec![0f32; d * padded];
    for (j, value) in v.chunks_exact(d).enumerate() {
        for (c, x) in value.iter().enumerate() {
            columns[c * padded + j] = *x;
        }
    }
    let values = PackedBf16::pack(&columns, d, padded).expect("shapes checked by `attend`");
    let context = values.product(&weights);
    for (o, c) in out.iter_mut().zip(&context) {
        o.write(*c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same attention in f64, written as the formulas read.
    fn plain(
        q: &[f32],
        k: &[f32],
        v: &[f32],
        t: usize,
        nq: usize,
        d: usize,
        base: f64,
    ) -> Vec<f64> {
        let rot = |x: &[f32], p: usize| -> Vec<f64> {
            let h = d / 2;
            let mut y = vec![0f64; d];
            for i in 0..h {
                let a = p as f64 / base.powf(2.0 * i as f64 / d as f64);
                let (x1, x2) = (f64::from(x[i]), f64::from(x[i + h]));
                y[i] = x1 * a.cos() - x2 * a.sin();
                y[i + h] = x2 * a.cos() + x1 * a.sin();
            }
            y
        };
        let keys: Vec<Vec<f64>> = (0..t).map(|j| rot(&k[j * d..(j + 1) * d], j)).collect();
        let mut out = Vec::new();
        for i in 0..t {
            for h in 0..nq {
                let qi = rot(&q[(i * nq + h) * d..(i * nq + h + 1) * d], i);
                let s: Vec<f64> = keys
                    .iter()
                    .map(|kj| qi.iter().zip(kj).map(|(a, b)| a * b).sum::<f64>() * 0.5)
                    .collect();
                let m = s.iter().cloned().fold(f64::MIN, f64::max);
                let e: Vec<f64> = s.iter().map(|x| (x - m).exp()).collect();
                let z: f64 = e.iter().sum();
                for c in 0..d {
                    out.push((0..t).map(|j| e[j] / z * f64::from(v[j * d + c])).sum());
                }
            }
        }
        out
    }

    #[test]
    fn attention_matches_the_formulas_text_by_text() {
        if !crate::amx::available() {
            eprintln!("no AMX here: nothing to check");
            return;
        }
        let (nq, d) = (3, 32);
        let spans = [(0, 5), (5, 1), (6, 17)];
        let total = 23;
        let mut seed = 11u64;
        let mut next = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            ((seed >> 40) as f32 / (1u64 << 24) as f32) - 0.5
        };
        let q: Vec<f32> = (0..total * nq * d).map(|_| next() * 4.0).collect();
        let k: Vec<f32> = (0..total * d).map(|_| next() * 4.0).collect();
        let v: Vec<f32> = (0..total * d).map(|_| next()).collect();
        let rotary = crate::rotary::Rotary::new(d, 64, 10_000.0);
        let shape = Heads {
            heads: nq,
            dim: d,
            scale: 0.5,
        };
        // Queries and keys rotated as the encoder does, then attended.
        let (mut qr, mut kr) = (q.clone(), k.clone());
        rotary.rotate_pack(&mut qr, nq, &spans);
        rotary.rotate_pack(&mut kr, 1, &spans);
        let got = attend(&qr, &kr, &v, &spans, shape);
        assert_eq!(got.len(), total * nq * d);
        for &(start, t) in &spans {
            let want = plain(
                &q[start * nq * d..(start + t) * nq * d],
                &k[start * d..(start + t) * d],
                &v[start * d..(start + t) * d],
                t,
                nq,
                d,
                10_000.0,
            );
            for (i, w) in want.iter().enumerate() {
                let g = f64::from(got[start * nq * d + i]);
                // Keys, values and weights in bfloat16 (8 bits of mantissa).
                assert!(
                    (g - w).abs() < 2e-2,
                    "text at {start}, value {i}: {g} vs {w}"
                );
            }
        }
    }
}
