package io.kube4j.apiserver.crd.celrules;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;

import java.util.Map;

/**
 * What CEL evaluations may still spend, as upstream's runtime cost budget: every evaluation counts one per expression
 * node visited, stops past its per-call limit (or what is left, if less) and charges what it spent. One budget covers
 * all the rules of one object (CRD validation) or all the expressions of one policy over one request (admission).
 */
public final class CostBudget {

    /** One evaluation passed its limit; thrown from the evaluation listener to stop it. */
    public static final class LimitExceeded extends RuntimeException {
        LimitExceeded() {
            super("operation cancelled: actual cost limit exceeded", null, false, false);
        }
    }

    private long remaining;

    public CostBudget(long budget) {
        this.remaining = budget;
    }

    public long remaining() {
        return remaining;
    }

    /** Evaluates {@code program} charging this budget; throws {@link LimitExceeded} past the limit. */
    public Object eval(CelRuntime.Program program, Map<String, Object> activation, long perCallLimit)
            throws CelEvaluationException {
        long[] cost = {0};
        long limit = Math.min(perCallLimit, remaining);
        try {
            return program.trace(activation, (expr, value) -> {
                if (++cost[0] > limit) {
                    throw new LimitExceeded();
                }
            });
        } catch (CelEvaluationException e) {
            if (e.getCause() instanceof LimitExceeded exceeded) {
                throw exceeded;
            }
            throw e;
        } finally {
            remaining -= cost[0];
        }
    }
}
