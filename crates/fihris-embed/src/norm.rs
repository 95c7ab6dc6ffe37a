//! Gemma's RMS norm, `x / rms(x) · (1 + w)` over each row of a matrix:
//! the rows shared among the threads, each row computed in vector
//! registers. (candle's own norm runs on one thread; on a 1,000-word
//! draft the norms had come to a sixth of the embedding's time.)

use std::mem::MaybeUninit;

use rayon::prelude::*;

/// Values per task when the rows are shared among threads (whole rows).
const CHUNK: usize = 1 << 14;

/// Each row of `x` (rows of `scale.len()` values) divided by its root
/// mean square (`eps` added to the mean) and multiplied by `scale`
/// (Gemma's `1 + w`, precomputed).
pub(crate) fn rms_norm(x: &[f32], scale: &[f32], eps: f32) -> Vec<f32> {
    let dim = scale.len();
    assert!(dim > 0 && x.len().is_multiple_of(dim), "rows of {dim}");
    let per_task = (CHUNK / dim).max(1) * dim;
    let mut out: Vec<f32> = Vec::with_capacity(x.len());
    out.spare_capacity_mut()
        .par_chunks_mut(per_task)
        .zip(x.par_chunks(per_task))
        .for_each(|(o, x)| rows(x, scale, eps, o));
    // SAFETY: the tasks above wrote every one of the x.len() values.
    unsafe { out.set_len(x.len()) };
    out
}

/// Whole rows, vectorised for AVX-512 where the CPU has it.
fn rows(x: &[f32], scale: &[f32], eps: f32, out: &mut [MaybeUninit<f32>]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512f") {
        // SAFETY: AVX-512F is there.
        unsafe { with_avx512(x, scale, eps, out) };
        return;
    }
    each(x, scale, eps, out);
}

/// [`each`] compiled for AVX-512.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn with_avx512(x: &[f32], scale: &[f32], eps: f32, out: &mut [MaybeUninit<f32>]) {
    each(x, scale, eps, out);
}

#[inline(always)]
fn each(x: &[f32], scale: &[f32], eps: f32, out: &mut [MaybeUninit<f32>]) {
    let dim = scale.len();
    for (row, o) in x.chunks_exact(dim).zip(out.chunks_exact_mut(dim)) {
        let mean = crate::vector::dot(row, row) / dim as f32;
        let inv = 1.0 / (mean + eps).sqrt();
        for ((o, v), s) in o.iter_mut().zip(row).zip(scale) {
            o.write(v * inv * s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_row_is_scaled_by_its_root_mean_square() {
        let dim = 40;
        let x: Vec<f32> = (0..3 * dim)
            .map(|i| (i as f32 * 0.37).sin() * 3.0)
            .collect();
        let scale: Vec<f32> = (0..dim).map(|i| 1.0 + i as f32 / 100.0).collect();
        let got = rms_norm(&x, &scale, 1e-6);
        for (r, row) in x.chunks(dim).enumerate() {
            let ms = row.iter().map(|v| f64::from(*v).powi(2)).sum::<f64>() / dim as f64;
            for c in 0..dim {
                let exact = f64::from(row[c]) / (ms + 1e-6).sqrt() * f64::from(scale[c]);
                let g = f64::from(got[r * dim + c]);
                assert!(
                    (g - exact).abs() < 1e-5 * exact.abs().max(1.0),
                    "({r}, {c}): {g} vs {exact}"
                );
            }
        }
        assert_eq!(rms_norm(&[0.0; 4], &[1.0; 4], 1e-6), vec![0.0; 4]);
    }
}
