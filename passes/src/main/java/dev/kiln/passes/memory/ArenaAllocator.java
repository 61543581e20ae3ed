package dev.kiln.passes.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Places buffers with known lifetimes in one arena: largest first (ties: earliest first), each at the lowest
 * aligned offset where it fits between the buffers already placed whose lifetimes overlap its own (first fit).
 * Placing big buffers first keeps small ones from fragmenting the space the big ones need.
 */
final class ArenaAllocator {
    /** A buffer live from node {@code first} to node {@code last}, both inclusive. */
    record Slot(int first, int last, long bytes) {
        boolean overlaps(Slot o) { return first <= o.last && o.first <= last; }
    }

    private ArenaAllocator() {}

    /** The offset of each slot, in the order given; every offset is a multiple of {@link MemoryPlan#ALIGNMENT}. */
    static long[] place(List<Slot> slots) {
        Integer[] order = new Integer[slots.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, Comparator.<Integer>comparingLong(i -> -slots.get(i).bytes())
                .thenComparingInt(i -> slots.get(i).first()).thenComparingInt(i -> i));
        long[] offsets = new long[slots.size()];
        List<Integer> placed = new ArrayList<>();
        for (int i : order) {
            Slot slot = slots.get(i);
            List<Integer> conflicts = new ArrayList<>();
            for (int p : placed) {
                if (slots.get(p).overlaps(slot)) conflicts.add(p);
            }
            conflicts.sort(Comparator.comparingLong(p -> offsets[p]));
            long size = MemoryPlan.alignUp(slot.bytes());
            long candidate = 0;
            for (int p : conflicts) {
                if (offsets[p] >= candidate + size) break;
                candidate = Math.max(candidate, offsets[p] + MemoryPlan.alignUp(slots.get(p).bytes()));
            }
            offsets[i] = candidate;
            placed.add(i);
        }
        return offsets;
    }
}
