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
    void aFastSteadyRuntimeWarmsForTheTimeBudgetNotACount() {
        // A count would end a microsecond model's warm-up long before C2 has compiled anything.
        int[] count = {0};
        long start = System.nanoTime();
        WarmUp.run(i -> count[0]++, -1);
        long elapsed = System.nanoTime() - start;
        assertTrue(elapsed >= WarmUp.AUTO_BUDGET_NANOS && elapsed < WarmUp.AUTO_BUDGET_NANOS + 4 * WarmUp.WINDOW_NANOS + 2_000_000_000L,
                elapsed + " ns");
        assertTrue(count[0] > 100_000, "ran " + count[0]);
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
        // Steady from the start: the budget, then two windows to see that nothing improves any more.
        assertTrue(elapsed >= WarmUp.AUTO_BUDGET_NANOS && elapsed < 2 * WarmUp.AUTO_BUDGET_NANOS + 1_000_000_000L, elapsed + " ns");
    }

    @Test
    void aRuntimeStillSpeedingUpAfterTheBudgetIsWarmedUntilItIsSteady() {
        // 120 ms per inference, 10% faster every window of inferences after the budget, steady from inference 40 on.
        int[] count = {0};
        WarmUp.run(i -> {
            count[0]++;
            long ms = i < 17 ? 120 : Math.max(20, (long) (120 * Math.pow(0.9, (i - 17) / (double) WarmUp.WINDOW)));
            if (i >= 40) ms = 20;
            sleep(ms);
        }, -1);
        // Past the budget while still speeding up, and stopped soon after it was steady: never running on to the 30 s
        // limit (1,400 more inferences at 20 ms). The upper bound is loose because sleeps stretch on a loaded machine.
        assertTrue(count[0] >= 40 && count[0] <= 100, "ran " + count[0]);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
