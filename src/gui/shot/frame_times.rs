//! The frame times of a run, as `--frame-times` writes them.

use crate::report::batch::nearest_rank;

/// The frame times a run recorded, as `--frame-times` writes them: milliseconds.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct FrameTimes {
    /// The window's size in pixels.
    pub window: [u32; 2],
    pub frames: usize,
    pub median_ms: f64,
    pub p95_ms: f64,
    pub mean_ms: f64,
    pub frame_ms: Vec<f64>,
}

impl FrameTimes {
    pub fn of(window: [u32; 2], seconds: &[f64]) -> FrameTimes {
        let ms: Vec<f64> = seconds.iter().map(|s| s * 1000.0).collect();
        let mut sorted = ms.clone();
        sorted.sort_by(f64::total_cmp);
        // Nearest rank: the smallest time at least this share of the frames do not exceed.
        let rank = |q: f64| nearest_rank(&sorted, q).unwrap_or(0.0);
        let mean = if ms.is_empty() {
            0.0
        } else {
            ms.iter().sum::<f64>() / ms.len() as f64
        };
        FrameTimes {
            window,
            frames: ms.len(),
            median_ms: rank(0.5),
            p95_ms: rank(0.95),
            mean_ms: mean,
            frame_ms: ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_times_take_the_nearest_rank() {
        // 1 to 20 ms: the median is the 10th, the 95th percentile the 19th.
        let s: Vec<f64> = (1..=20).rev().map(|k| f64::from(k) / 1000.0).collect();
        let t = FrameTimes::of([1920, 1080], &s);
        assert_eq!(t.frames, 20);
        assert!((t.median_ms - 10.0).abs() < 1e-9, "{t:?}");
        assert!((t.p95_ms - 19.0).abs() < 1e-9, "{t:?}");
        assert!((t.mean_ms - 10.5).abs() < 1e-9, "{t:?}");
        assert_eq!(FrameTimes::of([1, 1], &[]).median_ms, 0.0);
    }
}
