package dev.kiln.ir;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Cycles in a directed graph of node indices: strongly connected components (Tarjan's algorithm, iterative so
 * that long chains of nodes cannot overflow the stack) and one concrete cycle through each.
 */
final class DependencyCycles {
    private final List<List<Integer>> successors;
    private final int[] component;
    private final int[] index;
    private final int[] low;
    private final boolean[] onStack;
    private final Deque<Integer> stack = new ArrayDeque<>();
    private int nextIndex;
    private int components;
    private int[] componentSizes;

    private DependencyCycles(List<List<Integer>> successors) {
        this.successors = successors;
        int n = successors.size();
        component = new int[n];
        index = new int[n];
        low = new int[n];
        onStack = new boolean[n];
        Arrays.fill(index, -1);
    }

    /** Analyses the graph whose vertex {@code v} has the edges {@code v -> successors.get(v)}. */
    static DependencyCycles analyze(List<List<Integer>> successors) {
        DependencyCycles c = new DependencyCycles(successors);
        for (int v = 0; v < successors.size(); v++) {
            if (c.index[v] < 0) c.connect(v);
        }
        c.componentSizes = new int[c.components];
        for (int comp : c.component) c.componentSizes[comp]++;
        return c;
    }

    /** Whether some cycle passes through both vertices (for {@code a == b}: whether a cycle passes through it). */
    boolean onCommonCycle(int a, int b) {
        if (component[a] != component[b]) return false;
        return a != b || successors.get(a).contains(a) || componentSizes[component[a]] > 1;
    }

    /** One cycle per cyclic component: from its lowest vertex back to that vertex. */
    List<List<Integer>> cycles() {
        List<List<Integer>> cycles = new ArrayList<>();
        boolean[] seen = new boolean[components];
        for (int v = 0; v < successors.size(); v++) {
            if (!seen[component[v]] && onCommonCycle(v, v)) cycles.add(cycleThrough(v));
            seen[component[v]] = true;
        }
        return cycles;
    }

    private void connect(int root) {
        Deque<int[]> work = new ArrayDeque<>(); // {vertex, next successor position}
        visit(root);
        work.push(new int[] {root, 0});
        while (!work.isEmpty()) {
            int[] frame = work.peek();
            int v = frame[0];
            List<Integer> next = successors.get(v);
            if (frame[1] < next.size()) {
                int w = next.get(frame[1]++);
                if (index[w] < 0) {
                    visit(w);
                    work.push(new int[] {w, 0});
                } else if (onStack[w]) {
                    low[v] = Math.min(low[v], index[w]);
                }
                continue;
            }
            work.pop();
            if (!work.isEmpty()) low[work.peek()[0]] = Math.min(low[work.peek()[0]], low[v]);
            if (low[v] == index[v]) {
                int w;
                do {
                    w = stack.pop();
                    onStack[w] = false;
                    component[w] = components;
                } while (w != v);
                components++;
            }
        }
    }

    private void visit(int v) {
        index[v] = low[v] = nextIndex++;
        stack.push(v);
        onStack[v] = true;
    }

    /** A shortest path from {@code start} back to itself inside its component (breadth first). */
    private List<Integer> cycleThrough(int start) {
        int[] parent = new int[successors.size()];
        Arrays.fill(parent, -2);
        Deque<Integer> queue = new ArrayDeque<>();
        queue.add(start);
        parent[start] = -1;
        while (!queue.isEmpty()) {
            int v = queue.poll();
            for (int w : successors.get(v)) {
                if (component[w] != component[start]) continue;
                if (w == start) return path(parent, v, start);
                if (parent[w] == -2) {
                    parent[w] = v;
                    queue.add(w);
                }
            }
        }
        throw new IllegalStateException("vertex " + start + " is on no cycle");
    }

    private static List<Integer> path(int[] parent, int last, int start) {
        List<Integer> reversed = new ArrayList<>();
        reversed.add(start);
        for (int v = last; v != -1; v = parent[v]) reversed.add(v);
        return new ArrayList<>(reversed.reversed());
    }
}
