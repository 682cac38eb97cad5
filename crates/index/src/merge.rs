//! The merge policy of the index writer: tantivy's log policy, with merges kept below a size.

use tantivy::index::SegmentMeta;
use tantivy::indexer::{LogMergePolicy, MergeCandidate, MergePolicy};

/// Sections a merge may write at most. A merge reads its segments through the memory map, and
/// every page it touches counts in the process's resident set until the merge ends: a 1M-section
/// run whose last merge took all eight segments into one peaked at 945 MB (363 MB of its own
/// memory, the rest the mapped segments), against the 1 GB floor. Segments this size search as
/// fast as one (`benches/latency.rs` on a 1M index in eight segments: p99 7–10 ms).
pub(crate) const MAX_MERGE_SECTIONS: u32 = 300_000;

/// [`LogMergePolicy`]'s candidates, each split into merges of at most `max_sections` sections
/// (see [`pack`]), one merge at a time: tantivy runs the candidates side by side, and four
/// merges of a quarter each map as much as one of the whole. The smallest goes first; the
/// writer asks again when it ends.
#[derive(Debug)]
pub(crate) struct CappedMergePolicy {
    inner: LogMergePolicy,
    max_sections: u32,
}

impl CappedMergePolicy {
    pub(crate) fn new(max_sections: u32) -> CappedMergePolicy {
        CappedMergePolicy {
            inner: LogMergePolicy::default(),
            max_sections,
        }
    }
}

impl MergePolicy for CappedMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        self.inner
            .compute_merge_candidates(segments)
            .into_iter()
            .flat_map(|candidate| {
                let metas: Vec<&SegmentMeta> = candidate
                    .0
                    .iter()
                    .filter_map(|id| segments.iter().find(|s| s.id() == *id))
                    .collect();
                let sizes: Vec<u32> = metas.iter().map(|s| s.max_doc()).collect();
                pack(&sizes, self.max_sections)
                    .into_iter()
                    .map(move |(group, total)| {
                        (group.iter().map(|&i| metas[i].id()).collect(), total)
                    })
            })
            .min_by_key(|(_, total)| *total)
            .map(|(group, _)| MergeCandidate(group))
            .into_iter()
            .collect()
    }
}

/// Groups of two or more of `sizes` (as indices) adding up to at most `max`, each with its
/// total; a size that fits in no such group is left out (it stays a segment of its own).
/// Packed smallest first, but each group lists its indices in the given order: tantivy gives
/// the merged segment the delete cursor of the candidate's first segment, and the log policy
/// puts the largest (oldest) first. With the newest first, a delete made between the two went
/// unapplied to the merged copy of an older segment's document (the SIGKILL test found it
/// duplicated in three of six runs).
fn pack(sizes: &[u32], max: u32) -> Vec<(Vec<usize>, u64)> {
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    order.sort_by_key(|&i| sizes[i]);
    let mut groups = Vec::new();
    let mut group = Vec::new();
    let mut total = 0u64;
    for i in order {
        let size = sizes[i];
        if total + u64::from(size) > u64::from(max) {
            if group.len() >= 2 {
                groups.push((std::mem::take(&mut group), total));
            }
            group.clear();
            total = 0;
        }
        if size <= max {
            group.push(i);
            total += u64::from(size);
        }
    }
    if group.len() >= 2 {
        groups.push((group, total));
    }
    for (group, _) in &mut groups {
        group.sort_unstable();
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::pack;

    #[test]
    fn merges_stay_below_the_cap_and_keep_two_or_more_segments() {
        // Eight segments of a 1M run: none may merge with another under a 300k cap but pairs.
        let groups = pack(&[127_000; 8], 300_000);
        let pair = 2 * 127_000;
        assert_eq!(
            groups,
            [
                (vec![0, 1], pair),
                (vec![2, 3], pair),
                (vec![4, 5], pair),
                (vec![6, 7], pair)
            ]
        );
        // Small segments merge together, smallest first; one above the cap stays alone, and so
        // does one left without a partner. Each group in the given order (tantivy's log policy:
        // largest first).
        assert_eq!(pack(&[400, 90, 50, 30, 10], 100), [(vec![2, 3, 4], 90)]);
        assert_eq!(pack(&[10, 50, 30], 100), [(vec![0, 1, 2], 90)]);
        assert_eq!(pack(&[10, 20], 100), [(vec![0, 1], 30)]);
        assert!(pack(&[10], 100).is_empty());
        assert!(pack(&[], 100).is_empty());
    }
}
