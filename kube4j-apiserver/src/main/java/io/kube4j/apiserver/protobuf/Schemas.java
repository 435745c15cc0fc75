package io.kube4j.apiserver.protobuf;

import java.util.HashMap;
import java.util.Map;

/**
 * Field numbers of the Kubernetes protobuf messages kube4j reads: the kinds kubectl's {@code create <kind>}
 * generators send as protobuf, with the fields those generators and typical typed clients set. A field not
 * listed here is refused rather than dropped.
 */
final class Schemas {

    private static final Map<String, Message> BY_KIND = new HashMap<>();

    static final Message TIME = new Message("Time");
    static final Message OBJECT_META = new Message("ObjectMeta");

    static {
        Message ownerReference = new Message("OwnerReference").string(1, "kind").string(3, "name").string(4, "uid")
                .string(5, "apiVersion").optBool(6, "controller").optBool(7, "blockOwnerDeletion");
        OBJECT_META.string(1, "name").string(2, "generateName").string(3, "namespace").string(4, "selfLink")
                .string(5, "uid").string(6, "resourceVersion").int64(7, "generation")
                .of(8, "creationTimestamp", Field.Type.TIME).of(9, "deletionTimestamp", Field.Type.TIME)
                .optInt64(10, "deletionGracePeriodSeconds").of(11, "labels", Field.Type.STRING_MAP)
                .of(12, "annotations", Field.Type.STRING_MAP).messages(13, "ownerReferences", ownerReference)
                .strings(14, "finalizers");
        Message requirement = new Message("LabelSelectorRequirement").string(1, "key").string(2, "operator")
                .strings(3, "values");
        Message labelSelector = new Message("LabelSelector").of(1, "matchLabels", Field.Type.STRING_MAP)
                .messages(2, "matchExpressions", requirement);

        // core/v1
        Message objectFieldSelector = new Message("ObjectFieldSelector").string(1, "apiVersion").string(2, "fieldPath");
        Message envVarSource = new Message("EnvVarSource").message(1, "fieldRef", objectFieldSelector);
        Message envVar = new Message("EnvVar").string(1, "name").string(2, "value").message(3, "valueFrom", envVarSource);
        Message containerPort = new Message("ContainerPort").string(1, "name").int32(2, "hostPort")
                .int32(3, "containerPort").string(4, "protocol").string(5, "hostIP");
        Message resources = new Message("ResourceRequirements").of(1, "limits", Field.Type.QUANTITY_MAP)
                .of(2, "requests", Field.Type.QUANTITY_MAP);
        Message volumeMount = new Message("VolumeMount").string(1, "name").bool(2, "readOnly").string(3, "mountPath")
                .string(4, "subPath");
        Message container = new Message("Container").string(1, "name").string(2, "image").strings(3, "command")
                .strings(4, "args").string(5, "workingDir").messages(6, "ports", containerPort)
                .messages(7, "env", envVar).message(8, "resources", resources).messages(9, "volumeMounts", volumeMount)
                .string(13, "terminationMessagePath").string(14, "imagePullPolicy").bool(16, "stdin")
                .bool(17, "stdinOnce").bool(18, "tty").string(20, "terminationMessagePolicy");
        Message localObjectReference = new Message("LocalObjectReference").string(1, "name");
        Message podSpec = new Message("PodSpec").messages(2, "containers", container).string(3, "restartPolicy")
                .optInt64(4, "terminationGracePeriodSeconds").optInt64(5, "activeDeadlineSeconds")
                .string(6, "dnsPolicy").of(7, "nodeSelector", Field.Type.STRING_MAP).string(8, "serviceAccountName")
                .string(9, "serviceAccount").string(10, "nodeName").bool(11, "hostNetwork")
                .messages(15, "imagePullSecrets", localObjectReference).string(16, "hostname").string(17, "subdomain")
                .string(19, "schedulerName").messages(20, "initContainers", container)
                .optBool(21, "automountServiceAccountToken").string(24, "priorityClassName")
                .optInt32(25, "priority").optBool(30, "enableServiceLinks");
        Message podTemplateSpec = new Message("PodTemplateSpec").message(1, "metadata", OBJECT_META)
                .message(2, "spec", podSpec);
        kind("", "v1", "ConfigMap", new Message("ConfigMap").message(1, "metadata", OBJECT_META)
                .of(2, "data", Field.Type.STRING_MAP).of(3, "binaryData", Field.Type.BYTES_MAP)
                .optBool(4, "immutable"));
        kind("", "v1", "Secret", new Message("Secret").message(1, "metadata", OBJECT_META)
                .of(2, "data", Field.Type.BYTES_MAP).string(3, "type").of(4, "stringData", Field.Type.STRING_MAP)
                .optBool(5, "immutable"));
        kind("", "v1", "Namespace", new Message("Namespace").message(1, "metadata", OBJECT_META)
                .message(2, "spec", new Message("NamespaceSpec").strings(1, "finalizers"))
                .message(3, "status", new Message("NamespaceStatus").string(1, "phase")));
        Message objectReference = new Message("ObjectReference").string(1, "kind").string(2, "namespace")
                .string(3, "name").string(4, "uid").string(5, "apiVersion").string(6, "resourceVersion")
                .string(7, "fieldPath");
        kind("", "v1", "ServiceAccount", new Message("ServiceAccount").message(1, "metadata", OBJECT_META)
                .messages(2, "secrets", objectReference).messages(3, "imagePullSecrets", localObjectReference)
                .optBool(4, "automountServiceAccountToken"));
        Message servicePort = new Message("ServicePort").string(1, "name").string(2, "protocol").int32(3, "port")
                .of(4, "targetPort", Field.Type.INT_OR_STRING).int32(5, "nodePort").optString(6, "appProtocol");
        Message serviceSpec = new Message("ServiceSpec").messages(1, "ports", servicePort)
                .of(2, "selector", Field.Type.STRING_MAP).string(3, "clusterIP").string(4, "type")
                .strings(5, "externalIPs").string(7, "sessionAffinity").string(10, "externalName")
                .strings(18, "clusterIPs").strings(19, "ipFamilies").optString(17, "ipFamilyPolicy");
        kind("", "v1", "Service", new Message("Service").message(1, "metadata", OBJECT_META)
                .message(2, "spec", serviceSpec).message(3, "status", new Message("ServiceStatus")
                        .message(1, "loadBalancer", new Message("LoadBalancerStatus"))));
        kind("", "v1", "Pod", new Message("Pod").message(1, "metadata", OBJECT_META).message(2, "spec", podSpec)
                .message(3, "status", new Message("PodStatus")));

        // apps/v1
        Message rollingUpdate = new Message("RollingUpdateDeployment")
                .of(1, "maxUnavailable", Field.Type.INT_OR_STRING).of(2, "maxSurge", Field.Type.INT_OR_STRING);
        Message strategy = new Message("DeploymentStrategy").string(1, "type").message(2, "rollingUpdate", rollingUpdate);
        Message deploymentSpec = new Message("DeploymentSpec").optInt32(1, "replicas").message(2, "selector", labelSelector)
                .message(3, "template", podTemplateSpec).message(4, "strategy", strategy).int32(5, "minReadySeconds")
                .optInt32(6, "revisionHistoryLimit").bool(7, "paused").optInt32(9, "progressDeadlineSeconds");
        kind("apps", "v1", "Deployment", new Message("Deployment").message(1, "metadata", OBJECT_META)
                .message(2, "spec", deploymentSpec).message(3, "status", new Message("DeploymentStatus")));

        // batch/v1
        Message jobSpec = new Message("JobSpec").optInt32(1, "parallelism").optInt32(2, "completions")
                .optInt64(3, "activeDeadlineSeconds").message(4, "selector", labelSelector).optBool(5, "manualSelector")
                .message(6, "template", podTemplateSpec).optInt32(7, "backoffLimit")
                .optInt32(8, "ttlSecondsAfterFinished").optString(9, "completionMode").optBool(10, "suspend");
        kind("batch", "v1", "Job", new Message("Job").message(1, "metadata", OBJECT_META).message(2, "spec", jobSpec)
                .message(3, "status", new Message("JobStatus")));
        Message jobTemplate = new Message("JobTemplateSpec").message(1, "metadata", OBJECT_META)
                .message(2, "spec", jobSpec);
        Message cronJobSpec = new Message("CronJobSpec").string(1, "schedule").optInt64(2, "startingDeadlineSeconds")
                .string(3, "concurrencyPolicy").optBool(4, "suspend").message(5, "jobTemplate", jobTemplate)
                .optInt32(6, "successfulJobsHistoryLimit").optInt32(7, "failedJobsHistoryLimit")
                .optString(8, "timeZone");
        // scheduling, rbac, policy, quotas: the other kinds of kubectl create
        kind("scheduling.k8s.io", "v1", "PriorityClass", new Message("PriorityClass").message(1, "metadata", OBJECT_META)
                .int32(2, "value").bool(3, "globalDefault").string(4, "description").optString(5, "preemptionPolicy"));
        Message policyRule = new Message("PolicyRule").strings(1, "verbs").strings(2, "apiGroups")
                .strings(3, "resources").strings(4, "resourceNames").strings(5, "nonResourceURLs");
        kind("rbac.authorization.k8s.io", "v1", "Role", new Message("Role").message(1, "metadata", OBJECT_META)
                .messages(2, "rules", policyRule));
        kind("rbac.authorization.k8s.io", "v1", "ClusterRole", new Message("ClusterRole")
                .message(1, "metadata", OBJECT_META).messages(2, "rules", policyRule)
                .message(3, "aggregationRule", new Message("AggregationRule")
                        .messages(1, "clusterRoleSelectors", labelSelector)));
        Message subject = new Message("Subject").string(1, "kind").string(2, "apiGroup").string(3, "name")
                .string(4, "namespace");
        Message roleRef = new Message("RoleRef").string(1, "apiGroup").string(2, "kind").string(3, "name");
        for (String binding : new String[] {"RoleBinding", "ClusterRoleBinding"}) {
            kind("rbac.authorization.k8s.io", "v1", binding, new Message(binding).message(1, "metadata", OBJECT_META)
                    .messages(2, "subjects", subject).message(3, "roleRef", roleRef));
        }
        kind("", "v1", "ResourceQuota", new Message("ResourceQuota").message(1, "metadata", OBJECT_META)
                .message(2, "spec", new Message("ResourceQuotaSpec").of(1, "hard", Field.Type.QUANTITY_MAP)
                        .strings(2, "scopes"))
                .message(3, "status", new Message("ResourceQuotaStatus")));
        kind("policy", "v1", "PodDisruptionBudget", new Message("PodDisruptionBudget")
                .message(1, "metadata", OBJECT_META)
                .message(2, "spec", new Message("PodDisruptionBudgetSpec").of(1, "minAvailable", Field.Type.INT_OR_STRING)
                        .message(2, "selector", labelSelector).of(3, "maxUnavailable", Field.Type.INT_OR_STRING))
                .message(3, "status", new Message("PodDisruptionBudgetStatus")));
        kind("batch", "v1", "CronJob", new Message("CronJob").message(1, "metadata", OBJECT_META)
                .message(2, "spec", cronJobSpec).message(3, "status", new Message("CronJobStatus")));
    }

    private Schemas() {
    }

    private static void kind(String group, String version, String kind, Message message) {
        BY_KIND.put((group.isEmpty() ? version : group + "/" + version) + "/" + kind, message);
    }

    static Message forKind(String apiVersion, String kind) {
        return BY_KIND.get(apiVersion + "/" + kind);
    }
}
