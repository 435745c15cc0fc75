package io.kube4j.api.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class KubeProtobufTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ObjectNode json(String text) {
        return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
    }

    /** Encodes the object and decodes it back: the result must be the same JSON. */
    private static void assertRoundTrip(ObjectNode object) {
        byte[] body = KubeProtobuf.encode(object);
        assertThat(Arrays.copyOf(body, 4)).containsExactly(0x6b, 0x38, 0x73, 0x00);
        assertThat(KubeProtobuf.decode(body)).isEqualTo(object);
    }

    @Test
    void mediaType() {
        assertThat(KubeProtobuf.isProtobuf("application/vnd.kubernetes.protobuf")).isTrue();
        assertThat(KubeProtobuf.isProtobuf("Application/VND.Kubernetes.Protobuf; stream=watch")).isTrue();
        assertThat(KubeProtobuf.isProtobuf("application/json")).isFalse();
        assertThat(KubeProtobuf.isProtobuf(null)).isFalse();
    }

    @Test
    void configMapWithDataAndBinaryData() {
        assertRoundTrip(json("{'apiVersion':'v1','kind':'ConfigMap',"
                + "'metadata':{'name':'cm','namespace':'default','labels':{'app':'web','empty':''},"
                + "'creationTimestamp':'2024-01-02T03:04:05Z'},"
                + "'data':{'a':'b','multi':'line1\\nline2'},"
                + "'binaryData':{'bin':'" + Base64.getEncoder().encodeToString(new byte[] {0, 1, 2, (byte) 255})
                + "'},'immutable':false}"));
    }

    @Test
    void secretBytesAreBase64() {
        ObjectNode secret = json("{'apiVersion':'v1','kind':'Secret','metadata':{'name':'s'},"
                + "'data':{'password':'c2VjcmV0'},'type':'Opaque'}");
        assertRoundTrip(secret);
        // the raw message must carry the decoded bytes, not the base64 text
        byte[] body = KubeProtobuf.encode(secret);
        assertThat(new String(body, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("secret")
                .doesNotContain("c2VjcmV0");
    }

    @Test
    void deploymentWithIntOrStringQuantitiesAndPodTemplate() {
        assertRoundTrip(json("{'apiVersion':'apps/v1','kind':'Deployment',"
                + "'metadata':{'name':'web','namespace':'default','labels':{'app':'web'}},"
                + "'spec':{'replicas':0,'selector':{'matchLabels':{'app':'web'}},"
                + "'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxUnavailable':1,'maxSurge':'25%'}},"
                + "'revisionHistoryLimit':10,"
                + "'template':{'metadata':{'labels':{'app':'web'}},'spec':{"
                + "'containers':[{'name':'nginx','image':'nginx:1.25','ports':[{'containerPort':80,'protocol':'TCP'}],"
                + "'env':[{'name':'A','value':'1'},{'name':'B','valueFrom':{'configMapKeyRef':{'name':'cm','key':'k'}}}],"
                + "'resources':{'limits':{'cpu':'500m','memory':'128Mi'},'requests':{'cpu':'100m'}},"
                + "'readinessProbe':{'httpGet':{'path':'/','port':'http'},'periodSeconds':5},"
                + "'volumeMounts':[{'name':'config','mountPath':'/etc/config','readOnly':true}],"
                + "'securityContext':{'runAsUser':0,'allowPrivilegeEscalation':false}}],"
                + "'volumes':[{'name':'config','configMap':{'name':'cm','defaultMode':420}}],"
                + "'terminationGracePeriodSeconds':0,'automountServiceAccountToken':false}}},"
                + "'status':{}}"));
    }

    @Test
    void serviceWithNumericAndNamedTargetPorts() {
        assertRoundTrip(json("{'apiVersion':'v1','kind':'Service','metadata':{'name':'svc'},"
                + "'spec':{'type':'NodePort','selector':{'app':'web'},'ports':["
                + "{'name':'http','protocol':'TCP','port':80,'targetPort':8080},"
                + "{'name':'https','protocol':'TCP','port':443,'targetPort':'https','nodePort':30443}]},"
                + "'status':{'loadBalancer':{}}}"));
    }

    @Test
    void namespace() {
        assertRoundTrip(json("{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'team-a',"
                + "'annotations':{'owner':'me'}},'spec':{'finalizers':['kubernetes']},'status':{'phase':'Active'}}"));
    }

    @Test
    void jobKeepsMeaningfulZeros() {
        assertRoundTrip(json("{'apiVersion':'batch/v1','kind':'Job','metadata':{'name':'pi'},"
                + "'spec':{'backoffLimit':0,'completions':3,'parallelism':1,'ttlSecondsAfterFinished':0,"
                + "'template':{'metadata':{},'spec':{'restartPolicy':'Never','containers':[{'name':'pi',"
                + "'image':'perl','command':['perl','-e','print 1']}]}}}}"));
    }

    @Test
    void selfSubjectAccessReview() {
        assertRoundTrip(json("{'apiVersion':'authorization.k8s.io/v1','kind':'SelfSubjectAccessReview',"
                + "'metadata':{},'spec':{'resourceAttributes':{'namespace':'default','verb':'create',"
                + "'resource':'pods','version':'*'}},'status':{'allowed':false}}"));
    }

    @Test
    void deleteOptionsFromAnyGroupVersion() {
        ObjectNode options = json("{'apiVersion':'v1','kind':'DeleteOptions','gracePeriodSeconds':0,"
                + "'propagationPolicy':'Foreground','preconditions':{'uid':'abc'},'dryRun':['All']}");
        assertRoundTrip(options);
        options.put("apiVersion", "apps/v1");
        assertRoundTrip(options);
    }

    @Test
    void ingressWithInlineRuleValueAndRenamedFields() {
        assertRoundTrip(json("{'apiVersion':'networking.k8s.io/v1','kind':'Ingress','metadata':{'name':'i'},"
                + "'spec':{'ingressClassName':'nginx','rules':[{'host':'a.example.com','http':{'paths':[{'path':'/',"
                + "'pathType':'Prefix','backend':{'service':{'name':'svc','port':{'number':80}}}}]}}],"
                + "'tls':[{'hosts':['a.example.com'],'secretName':'tls'}]}}"));
        assertRoundTrip(json("{'apiVersion':'networking.k8s.io/v1','kind':'IngressClass','metadata':{'name':'c'},"
                + "'spec':{'controller':'example.com/ingress','parameters':{'apiGroup':'example.com',"
                + "'kind':'Params','name':'p'}}}"));
    }

    @Test
    void rbacPolicyAndSchedulingKinds() {
        assertRoundTrip(json("{'apiVersion':'rbac.authorization.k8s.io/v1','kind':'RoleBinding',"
                + "'metadata':{'name':'rb','namespace':'default'},'roleRef':{'apiGroup':'rbac.authorization.k8s.io',"
                + "'kind':'Role','name':'r'},'subjects':[{'kind':'ServiceAccount','name':'sa','namespace':'default'}]}"));
        assertRoundTrip(json("{'apiVersion':'policy/v1','kind':'PodDisruptionBudget','metadata':{'name':'pdb'},"
                + "'spec':{'minAvailable':0,'selector':{'matchLabels':{'app':'web'}}}}"));
        assertRoundTrip(json("{'apiVersion':'scheduling.k8s.io/v1','kind':'PriorityClass','metadata':{'name':'p'},"
                + "'value':0,'globalDefault':true,'description':'d'}"));
        assertRoundTrip(json("{'apiVersion':'authentication.k8s.io/v1','kind':'TokenRequest','metadata':{},"
                + "'spec':{'audiences':['api'],'expirationSeconds':600,'boundObjectRef':{'kind':'Pod',"
                + "'apiVersion':'v1','name':'p','uid':'u-1'}}}"));
        assertRoundTrip(json("{'apiVersion':'coordination.k8s.io/v1','kind':'Lease','metadata':{'name':'l'},"
                + "'spec':{'holderIdentity':'me','leaseDurationSeconds':15,"
                + "'renewTime':'2024-01-02T03:04:05.000001Z'}}"));
    }

    @Test
    void rawExtensionAndFieldsV1AreEmbeddedJson() {
        assertRoundTrip(json("{'apiVersion':'apps/v1','kind':'ControllerRevision','metadata':{'name':'r',"
                + "'managedFields':[{'manager':'kubectl','operation':'Update','apiVersion':'apps/v1',"
                + "'time':'2024-05-06T07:08:09Z','fieldsType':'FieldsV1','fieldsV1':{'f:data':{}}}]},"
                + "'data':{'spec':{'template':{'x':[1,2]}}},'revision':2}"));
    }

    @Test
    void microTimeHasSixFractionDigits() {
        ObjectNode event = json("{'apiVersion':'v1','kind':'Event','metadata':{'name':'e','namespace':'default'},"
                + "'involvedObject':{'kind':'Pod','name':'p'},'reason':'Started','count':2,"
                + "'eventTime':'2024-01-02T03:04:05.123456Z','firstTimestamp':'2024-01-02T03:04:05Z'}");
        assertRoundTrip(event);
    }

    /**
     * Go writes every non-pointer field, zero or not; the decoded JSON must look like Go's encoding/json output,
     * which omits those zeros, while keeping zeros of pointer fields such as replicas.
     */
    @Test
    void zeroValuesWrittenByGoAreDroppedLikeOmitempty() {
        KubeSchemas schemas = KubeSchemas.get();
        Descriptor metaType = schemas.message("k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta");
        Descriptor timeType = schemas.message("k8s.io.apimachinery.pkg.apis.meta.v1.Time");
        Message meta = DynamicMessage.newBuilder(metaType)
                .setField(metaType.findFieldByName("name"), "web")
                .setField(metaType.findFieldByName("generateName"), "")
                .setField(metaType.findFieldByName("namespace"), "")
                .setField(metaType.findFieldByName("uid"), "")
                .setField(metaType.findFieldByName("resourceVersion"), "")
                .setField(metaType.findFieldByName("generation"), 0L)
                .setField(metaType.findFieldByName("creationTimestamp"), DynamicMessage.newBuilder(timeType)
                        .setField(timeType.findFieldByName("seconds"), 0L)
                        .setField(timeType.findFieldByName("nanos"), 0).build())
                .build();
        Descriptor specType = schemas.message("k8s.io.api.apps.v1.DeploymentSpec");
        Descriptor intOrString = schemas.message("k8s.io.apimachinery.pkg.util.intstr.IntOrString");
        Descriptor strategyType = schemas.message("k8s.io.api.apps.v1.DeploymentStrategy");
        Descriptor rollingType = schemas.message("k8s.io.api.apps.v1.RollingUpdateDeployment");
        Message rolling = DynamicMessage.newBuilder(rollingType)
                .setField(rollingType.findFieldByName("maxSurge"), DynamicMessage.newBuilder(intOrString)
                        .setField(intOrString.findFieldByName("type"), 1L)
                        .setField(intOrString.findFieldByName("intVal"), 0)
                        .setField(intOrString.findFieldByName("strVal"), "25%").build())
                .setField(rollingType.findFieldByName("maxUnavailable"), DynamicMessage.newBuilder(intOrString)
                        .setField(intOrString.findFieldByName("type"), 0L)
                        .setField(intOrString.findFieldByName("intVal"), 1)
                        .setField(intOrString.findFieldByName("strVal"), "").build())
                .build();
        Message spec = DynamicMessage.newBuilder(specType)
                .setField(specType.findFieldByName("replicas"), 0)
                .setField(specType.findFieldByName("minReadySeconds"), 0)
                .setField(specType.findFieldByName("paused"), false)
                .setField(specType.findFieldByName("strategy"), DynamicMessage.newBuilder(strategyType)
                        .setField(strategyType.findFieldByName("type"), "")
                        .setField(strategyType.findFieldByName("rollingUpdate"), rolling).build())
                .build();
        Descriptor deploymentType = schemas.message("k8s.io.api.apps.v1.Deployment");
        Message deployment = DynamicMessage.newBuilder(deploymentType)
                .setField(deploymentType.findFieldByName("metadata"), meta)
                .setField(deploymentType.findFieldByName("spec"), spec)
                .build();

        ObjectNode decoded = KubeProtobuf.decode(envelope("apps/v1", "Deployment", deployment.toByteString()));

        assertThat(decoded).isEqualTo(json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},"
                + "'spec':{'replicas':0,'strategy':{'rollingUpdate':{'maxUnavailable':1,"
                + "'maxSurge':'25%'}}}}"));
    }

    @Test
    void durationsFollowGo() {
        assertThat(GoTime.duration(0)).isEqualTo("0s");
        assertThat(GoTime.duration(1_500_000_000L)).isEqualTo("1.5s");
        assertThat(GoTime.duration(3_723_000_000_000L)).isEqualTo("1h2m3s");
        assertThat(GoTime.duration(2_000_000L)).isEqualTo("2ms");
        assertThat(GoTime.parseDuration("1h2m3s")).isEqualTo(3_723_000_000_000L);
        assertThat(GoTime.parseDuration("1.5s")).isEqualTo(1_500_000_000L);
    }

    @Test
    void rejectsBodyWithoutMagic() {
        assertThatThrownBy(() -> KubeProtobuf.decode("{\"kind\":\"ConfigMap\"}".getBytes()))
                .isInstanceOf(ProtobufDecodeException.class).hasMessageContaining("magic");
        assertThatThrownBy(() -> KubeProtobuf.decode(new byte[0])).isInstanceOf(ProtobufDecodeException.class);
    }

    @Test
    void rejectsTruncatedBody() {
        byte[] body = KubeProtobuf.encode(json("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cm'},"
                + "'data':{'key':'a rather long value to cut in the middle'}}"));
        // envelope: magic, typeMeta (tag, length, bytes), raw (tag, length, bytes), two empty strings (4 bytes);
        // a cut exactly between two fields is a valid shorter message, so cut inside the raw object only
        int rawStart = 4 + 2 + body[5];
        for (int length = rawStart + 1; length < body.length - 4; length++) {
            byte[] truncated = Arrays.copyOf(body, length);
            assertThatThrownBy(() -> KubeProtobuf.decode(truncated))
                    .as("truncated to %d of %d bytes", length, body.length)
                    .isInstanceOf(ProtobufDecodeException.class);
        }
    }

    @Test
    void rejectsUnknownKind() {
        byte[] body = envelope("v1", "NoSuchThing", ByteString.EMPTY);
        assertThatThrownBy(() -> KubeProtobuf.decode(body)).isInstanceOf(ProtobufDecodeException.class)
                .hasMessageContaining("NoSuchThing");
        assertThat(KubeProtobuf.canEncode("v1", "NoSuchThing")).isFalse();
        assertThat(KubeProtobuf.canEncode("apps/v1", "Deployment")).isTrue();
    }

    @Test
    void rejectsWrongWireType() {
        // field 1 (metadata, a message) written as a varint
        byte[] body = envelope("v1", "ConfigMap", ByteString.copyFrom(new byte[] {0x08, 0x01}));
        assertThatThrownBy(() -> KubeProtobuf.decode(body)).isInstanceOf(ProtobufDecodeException.class)
                .hasMessageContaining("wire type");
    }

    @Test
    void encodeRejectsUnknownKind() {
        assertThatThrownBy(() -> KubeProtobuf.encode(json("{'apiVersion':'v1','kind':'Nope'}")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static byte[] envelope(String apiVersion, String kind, ByteString raw) {
        return new Envelope(apiVersion, kind, raw.toByteArray(), "", "").write();
    }

    @SuppressWarnings("unused")
    private static JsonNode parse(String s) {
        return JSON.readTree(s);
    }
}
