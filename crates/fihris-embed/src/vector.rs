//! Small vector kernels (a dot product, a softmax), written so that the
//! compiler vectorises them: sixteen running sums where a plain loop would
//! add one value at a time. They are `inline(always)`, so a caller
//! compiled for AVX-512 (the RMS norm) gets them in AVX-512; the
//! attention's softmax runs at the baseline width.

/// Running sums of a dot product (one AVX-512 register of f32).
const LANES: usize = 16;

/// `a · b` (over the shorter of the two).
#[inline(always)]
pub(crate) fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; LANES];
    let (mut ca, mut cb) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    for (x, y) in (&mut ca).zip(&mut cb) {
        for ((s, x), y) in acc.iter_mut().zip(x).zip(y) {
            *s += x * y;
        }
    }
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    acc.iter().sum::<f32>() + tail
}

/// `x` replaced by its softmax (shifted by its maximum first).
#[inline(always)]
pub(crate) fn softmax(x: &mut [f32]) {
    let max = x.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for v in x.iter_mut() {
        *v = crate::activation::exp(*v - max);
        sum += *v;
    }
    let inv = 1.0 / sum;
    for v in x.iter_mut() {
        *v *= inv;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kernels_match_plain_arithmetic() {
        let a: Vec<f32> = (0..37).map(|i| i as f32 * 0.25 - 3.0).collect();
        let b: Vec<f32> = (0..37).map(|i| 1.0 - i as f32 * 0.125).collect();
        let plain: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - plain).abs() < 1e-4);
        let mut x = vec![1.0, 2.0, 3.0];
        softmax(&mut x);
        let z: f32 = [1f32, 2.0, 3.0].iter().map(|v| v.exp()).sum();
        for (got, v) in x.iter().zip([1f32, 2.0, 3.0]) {
            assert!((got - v.exp() / z).abs() < 1e-6);
        }
    }
}
