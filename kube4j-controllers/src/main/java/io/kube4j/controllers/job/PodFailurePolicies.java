package io.kube4j.controllers.job;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnExitCodesRequirement;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnPodConditionsPattern;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import java.util.ArrayList;
import java.util.List;

/** Matches a failed pod against a Job's podFailurePolicy: the first matching rule decides. */
public final class PodFailurePolicies {
    public record Decision(String action, String message) {
    }

    private PodFailurePolicies() {
    }

    /** Null when no rule matches (the failure counts toward backoffLimit). */
    public static Decision match(PodFailurePolicy policy, Pod pod) {
        if (policy == null || policy.getRules() == null) {
            return null;
        }
        List<PodFailurePolicyRule> rules = policy.getRules();
        for (int i = 0; i < rules.size(); i++) {
            PodFailurePolicyRule rule = rules.get(i);
            if (rule.getOnExitCodes() != null) {
                ContainerStatus hit = matchExitCodes(rule.getOnExitCodes(), pod);
                if (hit != null) {
                    return new Decision(rule.getAction(), "Container " + hit.getName() + " for pod "
                            + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName()
                            + " failed with exit code " + hit.getState().getTerminated().getExitCode()
                            + " matching " + rule.getAction() + " rule at index " + i);
                }
            } else if (rule.getOnPodConditions() != null && matchConditions(rule.getOnPodConditions(), pod)) {
                return new Decision(rule.getAction(), "Pod " + pod.getMetadata().getNamespace() + "/"
                        + pod.getMetadata().getName() + " has condition matching " + rule.getAction()
                        + " rule at index " + i);
            }
        }
        return null;
    }

    private static ContainerStatus matchExitCodes(PodFailurePolicyOnExitCodesRequirement req, Pod pod) {
        if (pod.getStatus() == null) {
            return null;
        }
        List<ContainerStatus> statuses = new ArrayList<>();
        if (pod.getStatus().getInitContainerStatuses() != null) {
            statuses.addAll(pod.getStatus().getInitContainerStatuses());
        }
        if (pod.getStatus().getContainerStatuses() != null) {
            statuses.addAll(pod.getStatus().getContainerStatuses());
        }
        for (ContainerStatus s : statuses) {
            if (req.getContainerName() != null && !req.getContainerName().equals(s.getName())) {
                continue;
            }
            if (s.getState() == null || s.getState().getTerminated() == null) {
                continue;
            }
            int code = s.getState().getTerminated().getExitCode();
            if (code == 0) {
                continue;
            }
            boolean in = req.getValues() != null && req.getValues().contains(code);
            if ("In".equals(req.getOperator()) == in) {
                return s;
            }
        }
        return null;
    }

    private static boolean matchConditions(List<PodFailurePolicyOnPodConditionsPattern> patterns, Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return false;
        }
        for (PodFailurePolicyOnPodConditionsPattern p : patterns) {
            String wanted = p.getStatus() == null ? "True" : p.getStatus();
            for (PodCondition c : pod.getStatus().getConditions()) {
                if (p.getType().equals(c.getType()) && wanted.equals(c.getStatus())) {
                    return true;
                }
            }
        }
        return false;
    }
}
