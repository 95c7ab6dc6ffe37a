//! Rotary positions (RoPE) for a pack of texts: each head's vector turned
//! by angles that grow with its token's position, the first half of the
//! vector against the second (GPT-NeoX's layout, as Gemma's), each text's
//! positions counted from 0. Applied once to a layer's queries and keys,
//! before either attention (candle's f32 or the tile unit's) reads them.

/// Rotary tables of one base frequency: for each position, the cosines
/// and the sines of its `head_dim / 2` angles.
pub(crate) struct Rotary {
    half: usize,
    cos: Vec<f32>,
    sin: Vec<f32>,
}

impl Rotary {
    /// Tables for `positions` positions of heads of `head_dim` values.
    pub(crate) fn new(head_dim: usize, positions: usize, base: f64) -> Rotary {
        let half = head_dim / 2;
        let inv: Vec<f32> = (0..half)
            .map(|i| (1.0 / base.powf(2.0 * i as f64 / head_dim as f64)) as f32)
            .collect();
        let mut cos = Vec::with_capacity(positions * half);
        let mut sin = Vec::with_capacity(positions * half);
        for p in 0..positions {
            for f in &inv {
                let angle = p as f32 * f;
                cos.push(angle.cos());
                sin.push(angle.sin());
            }
        }
        Rotary { half, cos, sin }
    }

    /// Rotates `x` in place: a pack of tokens × `heads` × `2 · half`
    /// values, `spans` its texts' (start, tokens), each text from
    /// position 0. Tokens past the tables' positions are left as they are
    /// (the encoder never packs a text that long).
    pub(crate) fn rotate_pack(&self, x: &mut [f32], heads: usize, spans: &[(usize, usize)]) {
        let row = heads * 2 * self.half;
        let positions = self.cos.len() / self.half.max(1);
        for &(start, t) in spans {
            let text = x
                .get_mut(start * row..(start + t) * row)
                .unwrap_or_default();
            for (position, token) in text.chunks_exact_mut(row).take(positions).enumerate() {
                for head in token.chunks_exact_mut(2 * self.half) {
                    self.rotate(head, position);
                }
            }
        }
    }

    /// Rotates one head's vector for `position`.
    fn rotate(&self, x: &mut [f32], position: usize) {
        let h = self.half;
        let cos = &self.cos[position * h..(position + 1) * h];
        let sin = &self.sin[position * h..(position + 1) * h];
        let (a, b) = x.split_at_mut(h);
        for (((a, b), c), s) in a.iter_mut().zip(b.iter_mut()).zip(cos).zip(sin) {
            let (x1, x2) = (*a, *b);
            *a = x1 * c - x2 * s;
            *b = x2 * c + x1 * s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_text_is_turned_from_position_zero() {
        let r = Rotary::new(4, 8, 100.0);
        // Two texts of two tokens, one head of 4 values each.
        let mut x = [1.0, 0.0, 0.0, 1.0].repeat(4);
        r.rotate_pack(&mut x, 1, &[(0, 2), (2, 2)]);
        assert_eq!(x[..8], x[8..], "the same tokens at the same positions");
        assert_eq!(x[..4], [1.0, 0.0, 0.0, 1.0], "position 0 is not turned");
        // Position 1: angles 1 and 1/10 for the two pairs.
        let (c0, s0, c1, s1) = (1f32.cos(), 1f32.sin(), 0.1f32.cos(), 0.1f32.sin());
        let want = [c0, -s1, s0, c1];
        for (g, w) in x[4..8].iter().zip(want) {
            assert!((g - w).abs() < 1e-6, "{:?} vs {want:?}", &x[4..8]);
        }
    }
}
