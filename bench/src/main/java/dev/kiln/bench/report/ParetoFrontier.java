package dev.kiln.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The Pareto frontier of items scored on two costs to minimize (latency and energy): the items no other item beats
 * on one cost without losing on the other.
 */
public final class ParetoFrontier {
    private ParetoFrontier() {}

    /**
     * The non-dominated subset of {@code items}, sorted by ascending {@code x} (so by descending {@code y}). An item
     * is dominated when another is no worse on both costs and better on one; items with identical costs are all kept.
     */
    public static <T> List<T> of(List<T> items, ToDoubleFunction<T> x, ToDoubleFunction<T> y) {
        for (T item : items) {
            if (!Double.isFinite(x.applyAsDouble(item)) || !Double.isFinite(y.applyAsDouble(item))) {
                throw new IllegalArgumentException("Pareto frontier needs finite costs, got " + item);
            }
        }
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingDouble(x).thenComparingDouble(y));
        // Sweeping in x order, an item is on the frontier exactly when it lowers the best y seen so far (or ties the
        // frontier item before it on both costs).
        List<T> frontier = new ArrayList<>();
        for (T item : sorted) {
            if (frontier.isEmpty()) {
                frontier.add(item);
                continue;
            }
            T last = frontier.getLast();
            double lastY = y.applyAsDouble(last);
            double itemY = y.applyAsDouble(item);
            if (itemY < lastY || (itemY == lastY && x.applyAsDouble(item) == x.applyAsDouble(last))) frontier.add(item);
        }
        return frontier;
    }
}
