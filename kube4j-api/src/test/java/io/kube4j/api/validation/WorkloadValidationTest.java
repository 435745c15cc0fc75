package io.kube4j.api.validation;

import static io.kube4j.api.validation.Objects.defaulted;
import static io.kube4j.api.validation.Objects.messages;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class WorkloadValidationTest {

    private static ObjectNode deployment(String spec) {
        return defaulted("apps", "Deployment", "{'metadata':{'name':'web','namespace':'default'},'spec':" + spec + "}");
    }

    private static List<String> create(String group, String kind, ObjectNode obj) {
        return messages(Validators.forKind(group, kind).validateCreate(obj));
    }

    private static final String TEMPLATE = "'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[{'name':'web','image':'nginx'}]}}";

    @Test
    void validDeployment() {
        assertThat(create("apps", "Deployment", deployment("{'selector':{'matchLabels':{'app':'web'}}," + TEMPLATE + "}"))).isEmpty();
    }

    @Test
    void selectorIsRequired() {
        assertThat(create("apps", "Deployment", deployment("{" + TEMPLATE + "}"))).containsExactly("spec.selector: Required value");
    }

    @Test
    void selectorMustMatchTemplateLabels() {
        assertThat(create("apps", "Deployment", deployment("{'selector':{'matchLabels':{'app':'other'}}," + TEMPLATE + "}"))).containsExactly(
                "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`");
    }

    @Test
    void emptySelectorIsInvalid() {
        assertThat(create("apps", "Deployment", deployment("{'selector':{}," + TEMPLATE + "}"))).containsExactly(
                "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: "
                        + "empty selector is invalid for deployment");
    }

    @Test
    void replicasAndStrategy() {
        assertThat(create("apps", "Deployment", deployment("{'replicas':-1,'selector':{'matchLabels':{'app':'web'}},"
                + "'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxUnavailable':0,'maxSurge':0}}," + TEMPLATE + "}"))).containsExactly(
                "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0");
        assertThat(create("apps", "Deployment", deployment("{'selector':{'matchLabels':{'app':'web'}},"
                + "'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxUnavailable':'150%'}}," + TEMPLATE + "}")))
                .containsExactly("spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 150%: must not be greater than 100%");
        assertThat(create("apps", "Deployment", deployment("{'selector':{'matchLabels':{'app':'web'}},"
                + "'strategy':{'type':'Recreate','rollingUpdate':{}}," + TEMPLATE + "}")))
                .containsExactly("spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'");
    }

    @Test
    void templateMustRestartAlways() {
        assertThat(create("apps", "Deployment", deployment("{'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':{'labels':{'app':'web'}},"
                + "'spec':{'restartPolicy':'Never','containers':[{'name':'web','image':'nginx'}]}}}")))
                .containsExactly("spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"");
    }

    @Test
    void templatePodSpecErrorsCarryTheTemplatePath() {
        assertThat(create("apps", "Deployment", deployment("{'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':{'labels':{'app':'web'}},"
                + "'spec':{'containers':[{'name':'web'}]}}}"))).containsExactly("spec.template.spec.containers[0].image: Required value");
    }

    @Test
    void selectorIsImmutable() {
        ObjectNode old = deployment("{'selector':{'matchLabels':{'app':'web'}}," + TEMPLATE + "}");
        ObjectNode now = deployment("{'selector':{'matchLabels':{'app':'web','tier':'x'}},'template':{'metadata':{'labels':{'app':'web','tier':'x'}},"
                + "'spec':{'containers':[{'name':'web','image':'nginx'}]}}}");
        assertThat(messages(Validators.forKind("apps", "Deployment").validateUpdate(now, old))).containsExactly(
                "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\", \"tier\":\"x\"}, "
                        + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable");
    }

    @Test
    void statefulSetUpdatesAreLimited() {
        ObjectNode old = defaulted("apps", "StatefulSet", "{'metadata':{'name':'db','namespace':'d'},'spec':{'serviceName':'db',"
                + "'selector':{'matchLabels':{'app':'web'}}," + TEMPLATE + "}}");
        ObjectNode now = old.deepCopy();
        ((ObjectNode) now.get("spec")).put("replicas", 3);
        assertThat(Validators.forKind("apps", "StatefulSet").validateUpdate(now, old)).isEmpty();
        ((ObjectNode) now.get("spec")).put("serviceName", "other");
        assertThat(messages(Validators.forKind("apps", "StatefulSet").validateUpdate(now, old))).containsExactly(
                "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', "
                        + "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
    }

    @Test
    void daemonSetNeedsSelector() {
        ObjectNode ds = defaulted("apps", "DaemonSet", "{'metadata':{'name':'agent','namespace':'d'},'spec':{" + TEMPLATE + "}}");
        assertThat(create("apps", "DaemonSet", ds)).containsExactly("spec.selector: Required value");
    }

    @Test
    void jobTemplateMustNotRestartAlways() {
        ObjectNode job = defaulted("batch", "Job", "{'metadata':{'name':'j','namespace':'d'},'spec':{'template':{'spec':"
                + "{'containers':[{'name':'c','image':'busybox'}]}}}}");
        assertThat(create("batch", "Job", job))
                .containsExactly("spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"");
    }

    @Test
    void jobSelectorIsGeneratedFromTheUid() {
        ObjectNode job = defaulted("batch", "Job", "{'metadata':{'name':'j','namespace':'d','uid':'1234'},'spec':{'template':{'spec':"
                + "{'restartPolicy':'Never','containers':[{'name':'c','image':'busybox'}]}}}}");
        assertThat(create("batch", "Job", job)).isEmpty();
        assertThat(job.at("/spec/selector/matchLabels/batch.kubernetes.io~1controller-uid").asString()).isEqualTo("1234");
        assertThat(job.at("/spec/template/metadata/labels/job-name").asString()).isEqualTo("j");
    }

    @Test
    void jobWithManualSelectorMustMatch() {
        ObjectNode job = defaulted("batch", "Job", "{'metadata':{'name':'j','namespace':'d','uid':'1'},'spec':{'manualSelector':true,"
                + "'selector':{'matchLabels':{'a':'b'}},'template':{'metadata':{'labels':{'a':'c'}},'spec':"
                + "{'restartPolicy':'Never','containers':[{'name':'c','image':'busybox'}]}}}}");
        assertThat(create("batch", "Job", job)).containsExactly(
                "spec.template.metadata.labels: Invalid value: map[string]string{\"a\":\"c\"}: `selector` does not match template `labels`");
    }

    @Test
    void cronJobSchedule() {
        String tpl = "'jobTemplate':{'spec':{'template':{'spec':{'restartPolicy':'OnFailure','containers':[{'name':'c','image':'busybox'}]}}}}";
        ObjectNode ok = defaulted("batch", "CronJob", "{'metadata':{'name':'c','namespace':'d'},'spec':{'schedule':'*/5 * * * *'," + tpl + "}}");
        assertThat(create("batch", "CronJob", ok)).isEmpty();
        ObjectNode bad = defaulted("batch", "CronJob", "{'metadata':{'name':'c','namespace':'d'},'spec':{'schedule':'61 * * * *'," + tpl + "}}");
        assertThat(create("batch", "CronJob", bad))
                .containsExactly("spec.schedule: Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61");
        ObjectNode few = defaulted("batch", "CronJob", "{'metadata':{'name':'c','namespace':'d'},'spec':{'schedule':'hello'," + tpl + "}}");
        assertThat(create("batch", "CronJob", few))
                .containsExactly("spec.schedule: Invalid value: \"hello\": expected exactly 5 fields, found 1: [hello]");
        ObjectNode longName = defaulted("batch", "CronJob", "{'metadata':{'name':'" + "c".repeat(53) + "','namespace':'d'},"
                + "'spec':{'schedule':'@hourly'," + tpl + "}}");
        assertThat(create("batch", "CronJob", longName)).containsExactly(
                "metadata.name: Invalid value: \"" + "c".repeat(53) + "\": must be no more than 52 characters");
    }

    @Test
    void cronScheduleParser() {
        assertThat(CronSchedule.check("0 0 1 JAN MON-FRI")).isNull();
        assertThat(CronSchedule.check("@weekly")).isNull();
        assertThat(CronSchedule.check("@every 1h30m")).isNull();
        assertThat(CronSchedule.check("@often")).isEqualTo("unrecognized descriptor: @often");
        assertThat(CronSchedule.check("5-1 * * * *")).isEqualTo("beginning of range (5) beyond end of range (1): 5-1");
        assertThat(CronSchedule.check("x * * * *")).isEqualTo("failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax");
        assertThat(CronSchedule.check("* * 0 * *")).isEqualTo("beginning of range (0) below minimum (1): 0");
        assertThat(CronSchedule.check("*/0 * * * *")).isEqualTo("step of range should be a positive number: */0");
    }
}
