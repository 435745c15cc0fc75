package io.kube4j.api.defaults;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class DefaultsTest {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static ObjectNode apply(String group, String kind, String text) {
        ObjectNode o = (ObjectNode) MAPPER.readTree(text.replace('\'', '"'));
        Defaults.apply(group, kind, o);
        return o;
    }

    private static String s(JsonNode n, String pointer) {
        JsonNode v = n.at(pointer);
        return v.isMissingNode() ? null : v.isString() ? v.asString() : v.toString();
    }

    @Test
    void podSpecDefaults() {
        ObjectNode pod = apply("", "Pod", "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'c','image':'nginx'}]}}");
        assertThat(s(pod, "/spec/restartPolicy")).isEqualTo("Always");
        assertThat(s(pod, "/spec/dnsPolicy")).isEqualTo("ClusterFirst");
        assertThat(s(pod, "/spec/schedulerName")).isEqualTo("default-scheduler");
        assertThat(pod.at("/spec/terminationGracePeriodSeconds").asInt()).isEqualTo(30);
        assertThat(s(pod, "/spec/securityContext")).isEqualTo("{}");
        assertThat(pod.at("/spec/enableServiceLinks").asBoolean()).isTrue();
        assertThat(s(pod, "/spec/preemptionPolicy")).isEqualTo("PreemptLowerPriority");
        assertThat(pod.at("/spec/priority").asInt()).isZero();
        assertThat(s(pod, "/spec/containers/0/terminationMessagePath")).isEqualTo("/dev/termination-log");
        assertThat(s(pod, "/spec/containers/0/terminationMessagePolicy")).isEqualTo("File");
        assertThat(s(pod, "/spec/containers/0/imagePullPolicy")).isEqualTo("Always");
        assertThat(pod.at("/spec/serviceAccountName").isMissingNode()).isTrue();
        assertThat(pod.at("/spec/tolerations").isMissingNode()).isTrue();
        assertThat(s(pod, "/status/phase")).isEqualTo("Pending");
        assertThat(s(pod, "/status/qosClass")).isEqualTo("BestEffort");
    }

    @Test
    void setFieldsAreKept() {
        ObjectNode pod = apply("", "Pod", "{'spec':{'restartPolicy':'Never','terminationGracePeriodSeconds':5,"
                + "'containers':[{'name':'c','image':'nginx','imagePullPolicy':'Never'}]}}");
        assertThat(s(pod, "/spec/restartPolicy")).isEqualTo("Never");
        assertThat(pod.at("/spec/terminationGracePeriodSeconds").asInt()).isEqualTo(5);
        assertThat(s(pod, "/spec/containers/0/imagePullPolicy")).isEqualTo("Never");
    }

    @Test
    void imagePullPolicyFollowsTheTag() {
        assertThat(PodDefaults.imageTag("nginx")).isEqualTo("latest");
        assertThat(PodDefaults.imageTag("nginx:latest")).isEqualTo("latest");
        assertThat(PodDefaults.imageTag("nginx:1.25")).isEqualTo("1.25");
        assertThat(PodDefaults.imageTag("localhost:5000/nginx")).isEqualTo("latest");
        assertThat(PodDefaults.imageTag("localhost:5000/nginx:2")).isEqualTo("2");
        assertThat(PodDefaults.imageTag("nginx@sha256:abcd")).isEmpty();
        ObjectNode pod = apply("", "Pod", "{'spec':{'containers':[{'name':'a','image':'nginx:1.25'},{'name':'b','image':'nginx:latest'},"
                + "{'name':'c','image':'reg:5000/x'},{'name':'d','image':'x@sha256:ab'}]}}");
        assertThat(s(pod, "/spec/containers/0/imagePullPolicy")).isEqualTo("IfNotPresent");
        assertThat(s(pod, "/spec/containers/1/imagePullPolicy")).isEqualTo("Always");
        assertThat(s(pod, "/spec/containers/2/imagePullPolicy")).isEqualTo("Always");
        assertThat(s(pod, "/spec/containers/3/imagePullPolicy")).isEqualTo("IfNotPresent");
    }

    @Test
    void portsAndProbes() {
        ObjectNode pod = apply("", "Pod", "{'spec':{'containers':[{'name':'a','image':'x','ports':[{'containerPort':80}],"
                + "'livenessProbe':{'httpGet':{'port':80}}}]}}");
        assertThat(s(pod, "/spec/containers/0/ports/0/protocol")).isEqualTo("TCP");
        assertThat(s(pod, "/spec/containers/0/livenessProbe/httpGet/path")).isEqualTo("/");
        assertThat(s(pod, "/spec/containers/0/livenessProbe/httpGet/scheme")).isEqualTo("HTTP");
        assertThat(pod.at("/spec/containers/0/livenessProbe/periodSeconds").asInt()).isEqualTo(10);
        assertThat(pod.at("/spec/containers/0/livenessProbe/timeoutSeconds").asInt()).isEqualTo(1);
        assertThat(pod.at("/spec/containers/0/livenessProbe/failureThreshold").asInt()).isEqualTo(3);
        assertThat(pod.at("/spec/containers/0/livenessProbe/successThreshold").asInt()).isEqualTo(1);
    }

    @Test
    void requestsDefaultFromLimitsAndQos() {
        ObjectNode pod = apply("", "Pod", "{'spec':{'containers':[{'name':'a','image':'x','resources':{'limits':{'cpu':'1','memory':'1Gi'}}}]}}");
        assertThat(s(pod, "/spec/containers/0/resources/requests/cpu")).isEqualTo("1");
        assertThat(s(pod, "/spec/containers/0/resources/requests/memory")).isEqualTo("1Gi");
        assertThat(s(pod, "/status/qosClass")).isEqualTo("Guaranteed");
        ObjectNode burstable = apply("", "Pod", "{'spec':{'containers':[{'name':'a','image':'x','resources':{'requests':{'cpu':'100m'}}}]}}");
        assertThat(s(burstable, "/status/qosClass")).isEqualTo("Burstable");
    }

    @Test
    void volumes() {
        ObjectNode pod = apply("", "Pod", "{'spec':{'containers':[{'name':'a','image':'x'}],'volumes':[{'name':'e'},"
                + "{'name':'c','configMap':{'name':'cm'}},{'name':'s','secret':{'secretName':'s'}},{'name':'h','hostPath':{'path':'/x'}}]}}");
        assertThat(s(pod, "/spec/volumes/0/emptyDir")).isEqualTo("{}");
        assertThat(pod.at("/spec/volumes/1/configMap/defaultMode").asInt()).isEqualTo(420);
        assertThat(pod.at("/spec/volumes/2/secret/defaultMode").asInt()).isEqualTo(420);
        assertThat(s(pod, "/spec/volumes/3/hostPath/type")).isEmpty();
    }

    @Test
    void templatesDoNotGetPodOnlyDefaults() {
        ObjectNode d = apply("apps", "Deployment", "{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'x:1'}]}}}}");
        assertThat(d.at("/spec/template/spec/enableServiceLinks").isMissingNode()).isTrue();
        assertThat(d.at("/spec/template/spec/priority").isMissingNode()).isTrue();
        assertThat(s(d, "/spec/template/spec/restartPolicy")).isEqualTo("Always");
        assertThat(s(d, "/spec/template/spec/containers/0/imagePullPolicy")).isEqualTo("IfNotPresent");
    }

    @Test
    void deploymentDefaults() {
        ObjectNode d = apply("apps", "Deployment", "{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'x'}]}}}}");
        assertThat(d.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(s(d, "/spec/strategy/type")).isEqualTo("RollingUpdate");
        assertThat(s(d, "/spec/strategy/rollingUpdate/maxUnavailable")).isEqualTo("25%");
        assertThat(s(d, "/spec/strategy/rollingUpdate/maxSurge")).isEqualTo("25%");
        assertThat(d.at("/spec/revisionHistoryLimit").asInt()).isEqualTo(10);
        assertThat(d.at("/spec/progressDeadlineSeconds").asInt()).isEqualTo(600);
        ObjectNode recreate = apply("apps", "Deployment", "{'spec':{'strategy':{'type':'Recreate'}}}");
        assertThat(recreate.at("/spec/strategy/rollingUpdate").isMissingNode()).isTrue();
    }

    @Test
    void statefulSetAndDaemonSetDefaults() {
        ObjectNode ss = apply("apps", "StatefulSet", "{'spec':{'volumeClaimTemplates':[{'metadata':{'name':'d'},'spec':{}}]}}");
        assertThat(s(ss, "/spec/podManagementPolicy")).isEqualTo("OrderedReady");
        assertThat(s(ss, "/spec/updateStrategy/type")).isEqualTo("RollingUpdate");
        assertThat(ss.at("/spec/updateStrategy/rollingUpdate/partition").asInt()).isZero();
        assertThat(s(ss, "/spec/persistentVolumeClaimRetentionPolicy/whenDeleted")).isEqualTo("Retain");
        assertThat(s(ss, "/spec/volumeClaimTemplates/0/spec/volumeMode")).isEqualTo("Filesystem");
        assertThat(s(ss, "/spec/volumeClaimTemplates/0/status/phase")).isEqualTo("Pending");
        ObjectNode ds = apply("apps", "DaemonSet", "{'spec':{}}");
        assertThat(ds.at("/spec/updateStrategy/rollingUpdate/maxUnavailable").asInt()).isEqualTo(1);
        assertThat(ds.at("/spec/updateStrategy/rollingUpdate/maxSurge").asInt()).isZero();
        assertThat(ds.at("/spec/revisionHistoryLimit").asInt()).isEqualTo(10);
    }

    @Test
    void jobAndCronJobDefaults() {
        ObjectNode job = apply("batch", "Job", "{'spec':{'template':{'metadata':{'labels':{'a':'b'}},'spec':{'containers':[{'name':'a','image':'x'}]}}}}");
        assertThat(job.at("/spec/completions").asInt()).isEqualTo(1);
        assertThat(job.at("/spec/parallelism").asInt()).isEqualTo(1);
        assertThat(job.at("/spec/backoffLimit").asInt()).isEqualTo(6);
        assertThat(s(job, "/spec/completionMode")).isEqualTo("NonIndexed");
        assertThat(job.at("/spec/suspend").asBoolean()).isFalse();
        assertThat(s(job, "/spec/podReplacementPolicy")).isEqualTo("TerminatingOrFailed");
        assertThat(s(job, "/metadata/labels/a")).isEqualTo("b");
        ObjectNode parallel = apply("batch", "Job", "{'spec':{'parallelism':3}}");
        assertThat(parallel.at("/spec/completions").isMissingNode()).isTrue();
        ObjectNode cj = apply("batch", "CronJob", "{'spec':{'schedule':'* * * * *'}}");
        assertThat(s(cj, "/spec/concurrencyPolicy")).isEqualTo("Allow");
        assertThat(cj.at("/spec/successfulJobsHistoryLimit").asInt()).isEqualTo(3);
        assertThat(cj.at("/spec/failedJobsHistoryLimit").asInt()).isEqualTo(1);
        assertThat(cj.at("/spec/suspend").asBoolean()).isFalse();
    }

    @Test
    void serviceDefaults() {
        ObjectNode svc = apply("", "Service", "{'spec':{'selector':{'a':'b'},'ports':[{'port':80},{'port':443,'targetPort':'https'}]}}");
        assertThat(s(svc, "/spec/type")).isEqualTo("ClusterIP");
        assertThat(s(svc, "/spec/sessionAffinity")).isEqualTo("None");
        assertThat(s(svc, "/spec/ports/0/protocol")).isEqualTo("TCP");
        assertThat(svc.at("/spec/ports/0/targetPort").asInt()).isEqualTo(80);
        assertThat(s(svc, "/spec/ports/1/targetPort")).isEqualTo("https");
        assertThat(s(svc, "/spec/ipFamilyPolicy")).isEqualTo("SingleStack");
        assertThat(s(svc, "/spec/ipFamilies")).isEqualTo("[\"IPv4\"]");
        assertThat(s(svc, "/spec/internalTrafficPolicy")).isEqualTo("Cluster");
        assertThat(svc.at("/spec/clusterIP").isMissingNode()).isTrue();
        ObjectNode np = apply("", "Service", "{'spec':{'type':'NodePort','ports':[{'port':80}]}}");
        assertThat(s(np, "/spec/externalTrafficPolicy")).isEqualTo("Cluster");
        ObjectNode ext = apply("", "Service", "{'spec':{'type':'ExternalName','externalName':'x.com'}}");
        assertThat(ext.at("/spec/ipFamilyPolicy").isMissingNode()).isTrue();
        assertThat(ext.at("/spec/internalTrafficPolicy").isMissingNode()).isTrue();
    }

    @Test
    void coreKinds() {
        ObjectNode ns = apply("", "Namespace", "{'metadata':{'name':'x'}}");
        assertThat(s(ns, "/spec/finalizers")).isEqualTo("[\"kubernetes\"]");
        assertThat(s(ns, "/status/phase")).isEqualTo("Active");
        ObjectNode secret = apply("", "Secret", "{'stringData':{'user':'admin'}}");
        assertThat(s(secret, "/type")).isEqualTo("Opaque");
        assertThat(s(secret, "/data/user")).isEqualTo("YWRtaW4=");
        assertThat(secret.has("stringData")).isFalse();
        ObjectNode pvc = apply("", "PersistentVolumeClaim", "{'spec':{}}");
        assertThat(s(pvc, "/spec/volumeMode")).isEqualTo("Filesystem");
        assertThat(s(pvc, "/status/phase")).isEqualTo("Pending");
        ObjectNode pv = apply("", "PersistentVolume", "{'spec':{}}");
        assertThat(s(pv, "/spec/persistentVolumeReclaimPolicy")).isEqualTo("Retain");
    }

    @Test
    void otherGroups() {
        ObjectNode sc = apply("storage.k8s.io", "StorageClass", "{'provisioner':'x'}");
        assertThat(s(sc, "/reclaimPolicy")).isEqualTo("Delete");
        assertThat(s(sc, "/volumeBindingMode")).isEqualTo("Immediate");
        ObjectNode rb = apply("rbac.authorization.k8s.io", "RoleBinding", "{'roleRef':{'kind':'Role','name':'r'},'subjects':[{'kind':'User','name':'u'}]}");
        assertThat(s(rb, "/roleRef/apiGroup")).isEqualTo("rbac.authorization.k8s.io");
        assertThat(s(rb, "/subjects/0/apiGroup")).isEqualTo("rbac.authorization.k8s.io");
        ObjectNode hpa = apply("autoscaling", "HorizontalPodAutoscaler", "{'apiVersion':'autoscaling/v2','spec':{}}");
        assertThat(hpa.at("/spec/minReplicas").asInt()).isEqualTo(1);
        assertThat(hpa.at("/spec/metrics/0/resource/target/averageUtilization").asInt()).isEqualTo(80);
        ObjectNode np = apply("networking.k8s.io", "NetworkPolicy", "{'spec':{'egress':[{}]}}");
        assertThat(s(np, "/spec/policyTypes")).isEqualTo("[\"Ingress\",\"Egress\"]");
    }

    @Test
    void unknownKindsAreUntouched() {
        ObjectNode o = apply("example.com", "Widget", "{'spec':{}}");
        assertThat(o.toString()).isEqualTo("{\"spec\":{}}");
        assertThat(Defaults.hasDefaults("example.com", "Widget")).isFalse();
    }

    @Test
    void applyingTwiceChangesNothing() {
        ObjectNode once = apply("apps", "Deployment", "{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'x'}]}}}}");
        ObjectNode twice = once.deepCopy();
        Defaults.apply("apps", "Deployment", twice);
        assertThat(twice).isEqualTo(once);
    }
}
