package io.kube4j.api.validation;

import static io.kube4j.api.validation.Objects.defaulted;
import static io.kube4j.api.validation.Objects.json;
import static io.kube4j.api.validation.Objects.messages;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Upstream 1.32's ValidateJobUpdateStatus, with the options of its job strategy (JobManagedBy on). */
class JobStatusValidationTest {
    private static final String TEMPLATE = "'template':{'spec':{'restartPolicy':'Never','containers':[{'name':'c','image':'busybox'}]}}";

    private static ObjectNode job(String spec, String status) {
        return defaulted("batch", "Job", "{'metadata':{'name':'j','namespace':'d','uid':'1234','resourceVersion':'5'},"
                + "'spec':{" + spec + (spec.isEmpty() ? "" : ",") + TEMPLATE + "},'status':{" + status + "}}");
    }

    /** The errors of a write through jobs/status from {@code oldStatus} to {@code newStatus}. */
    private static List<String> statusWrite(String spec, String oldStatus, String newStatus) {
        return messages(Validators.forKind("batch", "Job").validateUpdate(job(spec, newStatus), job(spec, oldStatus), "status"));
    }

    private static final String INDEXED = "'completionMode':'Indexed','completions':5,'parallelism':2";
    private static final String PER_INDEX = INDEXED + ",'backoffLimitPerIndex':1";

    @Test
    void completedIndexesMustBeWellFormedBelowCompletions() {
        assertThat(statusWrite(INDEXED, "", "'completedIndexes':'0,3-2'")).containsExactly(
                "status.completedIndexes: Invalid value: \"0,3-2\": error parsing completedIndexes: non-increasing order, previous: 3, current: 2");
        assertThat(statusWrite(INDEXED, "", "'completedIndexes':'1,5'")).containsExactly(
                "status.completedIndexes: Invalid value: \"1,5\": error parsing completedIndexes: too large index: \"5\"");
        assertThat(statusWrite(INDEXED, "'completedIndexes':'1'", "'completedIndexes':'1-3'")).isEmpty();
    }

    @Test
    void aStoredListOutOfLineDoesNotBlockOtherStatusWrites() {
        // completions scaled down below a completed index: the controller's next write changes something else
        assertThat(statusWrite(INDEXED, "'completedIndexes':'0-6','active':1", "'completedIndexes':'0-6','active':2"))
                .isEmpty();
    }

    @Test
    void completedIndexesOnlyForIndexedJobs() {
        assertThat(statusWrite("'completions':3", "", "'completedIndexes':'1'")).containsExactly(
                "status.completedIndexes: Invalid value: \"1\": cannot set non-empty completedIndexes when non-indexed completion mode");
    }

    @Test
    void failedIndexesOnlyWithBackoffLimitPerIndexWellFormedAndApartFromCompleted() {
        assertThat(statusWrite(INDEXED, "", "'failedIndexes':'1'")).containsExactly(
                "status.failedIndexes: Invalid value: \"1\": cannot set non-null failedIndexes when backoffLimitPerIndex is null");
        assertThat(statusWrite("'completions':3", "", "'failedIndexes':''")).containsExactly(
                "status.failedIndexes: Invalid value: \"\": cannot set non-null failedIndexes when backoffLimitPerIndex is null");
        assertThat(statusWrite(PER_INDEX, "", "'failedIndexes':'2-x'")).containsExactly(
                "status.failedIndexes: Invalid value: \"2-x\": error parsing failedIndexes: cannot convert string to integer for index: \"x\"");
        assertThat(statusWrite(PER_INDEX, "'completedIndexes':'0-2'", "'completedIndexes':'0-2','failedIndexes':'3'")).isEmpty();
        assertThat(statusWrite(PER_INDEX, "'completedIndexes':'0,3-4','failedIndexes':'1'",
                "'completedIndexes':'0,3-4','failedIndexes':'1-3'")).containsExactly(
                "status.failedIndexes: Invalid value: \"1-3\": failedIndexes and completedIndexes overlap at index: 3");
        // a completed index that overlaps a failed one is refused too: the check runs when either list changes
        assertThat(statusWrite(PER_INDEX, "'completedIndexes':'0','failedIndexes':'2'",
                "'completedIndexes':'0-2','failedIndexes':'2'")).containsExactly(
                "status.failedIndexes: Invalid value: \"2\": failedIndexes and completedIndexes overlap at index: 2");
    }

    @Test
    void terminalConditionsFollowTheirInterimOnesAndStay() {
        String failureTarget = "{'type':'FailureTarget','status':'True'}";
        String failed = "{'type':'Failed','status':'True'}";
        String start = "'startTime':'2026-01-01T00:00:00Z'";
        assertThat(statusWrite("", start, start + ",'conditions':[" + failed + "]")).containsExactly(
                "status.conditions: Invalid value: cannot set Failed=True condition without the FailureTarget=true condition");
        assertThat(statusWrite("", start + ",'conditions':[" + failureTarget + "]",
                start + ",'conditions':[" + failureTarget + "," + failed + "]")).isEmpty();
        assertThat(statusWrite("", start + ",'conditions':[" + failureTarget + "," + failed + "]", start)).containsExactly(
                "status.conditions: Invalid value: cannot disable the terminal Failed=True condition",
                "status.conditions: Invalid value: cannot disable the terminal FailureTarget=True condition");
        assertThat(statusWrite("", "'conditions':[" + failureTarget + "],'active':1",
                "'conditions':[" + failureTarget + "," + failed + "],'active':1")).containsExactly(
                "status.active: Invalid value: 1: active>0 is invalid for finished job",
                "status.startTime: Required value: startTime is required for finished job");
    }

    @Test
    void completionTimeGoesWithCompleteAndIsNotMutated() {
        String met = "{'type':'SuccessCriteriaMet','status':'True'}";
        String complete = "{'type':'Complete','status':'True'}";
        String start = "'startTime':'2026-01-01T00:00:00Z'";
        assertThat(statusWrite("", start, start + ",'completionTime':'2026-01-01T00:01:00Z'")).containsExactly(
                "status.completionTime: Invalid value: 2026-01-01 00:01:00 +0000 UTC: "
                        + "cannot set completionTime when there is no Complete=True condition");
        assertThat(statusWrite("", start + ",'conditions':[" + met + "]", start + ",'conditions':[" + met + "," + complete + "]"))
                .containsExactly("status.completionTime: Required value: completionTime is required for Complete jobs");
        String done = start + ",'conditions':[" + met + "," + complete + "]";
        assertThat(statusWrite("", done + ",'completionTime':'2026-01-01T00:01:00Z'",
                done + ",'completionTime':'2026-01-01T00:02:00Z'")).containsExactly(
                "status.completionTime: Invalid value: 2026-01-01 00:02:00 +0000 UTC: completionTime cannot be mutated");
    }

    @Test
    void countersDoNotGoDownUnlessAnIndexedJobCanBeScaled() {
        assertThat(statusWrite("", "'failed':2,'succeeded':2", "'failed':1,'succeeded':1")).containsExactly(
                "status.failed: Invalid value: 1: cannot decrease the failed counter",
                "status.succeeded: Invalid value: 1: cannot decrease the succeeded counter");
        assertThat(statusWrite("'completionMode':'Indexed','completions':4,'parallelism':4", "'succeeded':3", "'succeeded':2"))
                .isEmpty();
        assertThat(statusWrite("", "'active':2", "'active':-1,'ready':1")).containsExactly(
                "status.active: Invalid value: -1: must be greater than or equal to 0",
                "status.ready: Invalid value: 1: cannot set more ready pods than active");
    }

    @Test
    void uncountedPodsAreDistinctAndGoneOnceFinished() {
        assertThat(statusWrite("", "", "'uncountedTerminatedPods':{'succeeded':['a',''],'failed':['a']}")).containsExactly(
                "status.uncountedTerminatedPods.succeeded[1]: Invalid value: \"\": must not be empty",
                "status.uncountedTerminatedPods.failed[0]: Duplicate value: \"a\"");
        String finished = "'startTime':'2026-01-01T00:00:00Z','conditions':[{'type':'FailureTarget','status':'True'},"
                + "{'type':'Failed','status':'True'}]";
        assertThat(statusWrite("", "'startTime':'2026-01-01T00:00:00Z','conditions':[{'type':'FailureTarget','status':'True'}]",
                finished + ",'uncountedTerminatedPods':{'failed':['a']}")).containsExactly(
                "status.uncountedTerminatedPods: Invalid value: batch.UncountedTerminatedPods{Succeeded:[]types.UID(nil), "
                        + "Failed:[]types.UID{\"a\"}}: uncountedTerminatedPods needs to be empty for finished job");
    }

    @Test
    void aStatusWriteIsNotHeldToTheSpecRules() {
        // stored before podFailurePolicy rule bodies were checked: the spec fails today's rules
        String spec = "'podFailurePolicy':{'rules':[{'action':'FailJob'}]}";
        assertThat(statusWrite(spec, "'active':1", "'active':2")).isEmpty();
        ObjectNode old = job(spec, "'active':1");
        ObjectNode relabelled = job(spec, "'active':1");
        ((ObjectNode) relabelled.get("metadata")).set("labels", json("{'a':'b'}"));
        assertThat(messages(Validators.forKind("batch", "Job").validateUpdate(relabelled, old, ""))).contains(
                "spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required");
    }
}
