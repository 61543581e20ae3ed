package dev.kiln.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WarmUpTest {
    @Test
    void aCountRunsExactlyThatManyInOrderAndNoneGivesNaN() {
        List<Integer> seen = new ArrayList<>();
        double mean = WarmUp.run(seen::add, 5);
        assertEquals(List.of(0, 1, 2, 3, 4), seen);
        assertTrue(mean >= 0);
        assertTrue(Double.isNaN(WarmUp.run(i -> {}, 0)));
    }

    @Test
    void theAutomaticBudgetStopsAtItsInferenceCapForAFastRuntime() {
        int[] count = {0};
        WarmUp.run(i -> count[0]++, -1);
        assertEquals(WarmUp.AUTO_MAX_INFERENCES, count[0]);
    }

    @Test
    void theAutomaticBudgetStopsAtItsTimeLimitForASlowRuntime() throws Exception {
        int[] count = {0};
        long start = System.nanoTime();
        WarmUp.run(i -> {
            count[0]++;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, -1);
        long elapsed = System.nanoTime() - start;
        assertTrue(count[0] < WarmUp.AUTO_MAX_INFERENCES, "ran " + count[0]);
        assertTrue(elapsed >= WarmUp.AUTO_BUDGET_NANOS && elapsed < 2 * WarmUp.AUTO_BUDGET_NANOS + 1_000_000_000L, elapsed + " ns");
    }
}
