package io.kube4j.api.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The kinds whose schemas live outside core, apps, batch and the other first groups: autoscaling, discovery,
 * events, storage, certificates, admissionregistration, node and apiextensions. Each round trip goes through the
 * real wire format, so a wrong field number or type in a .proto file shows up as a changed or lost value.
 */
class MoreKindsProtobufTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path KUBECTL = Path.of("/usr/lib/google-cloud-sdk/bin/kubectl.1.32");

    @TempDir
    Path dir;

    private static ObjectNode json(String text) {
        return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
    }

    private static void assertRoundTrip(ObjectNode object) {
        byte[] body = KubeProtobuf.encode(object);
        assertThat(Arrays.copyOf(body, 4)).containsExactly(0x6b, 0x38, 0x73, 0x00);
        assertThat(KubeProtobuf.decode(body)).isEqualTo(object);
    }

    @Test
    void horizontalPodAutoscalerV1() {
        assertRoundTrip(json("{'apiVersion':'autoscaling/v1','kind':'HorizontalPodAutoscaler',"
                + "'metadata':{'name':'web','namespace':'default'},"
                + "'spec':{'scaleTargetRef':{'kind':'Deployment','name':'web','apiVersion':'apps/v1'},"
                + "'minReplicas':1,'maxReplicas':3,'targetCPUUtilizationPercentage':50},"
                + "'status':{'observedGeneration':2,'lastScaleTime':'2024-05-06T07:08:09Z','currentReplicas':0,"
                + "'desiredReplicas':2,'currentCPUUtilizationPercentage':71}}"));
        assertRoundTrip(json("{'apiVersion':'autoscaling/v1','kind':'Scale','metadata':{'name':'web'},"
                + "'spec':{'replicas':0},'status':{'replicas':2,'selector':'app=web'}}"));
    }

    @Test
    void horizontalPodAutoscalerV2WithEveryMetricSourceAndBehavior() {
        assertRoundTrip(json("{'apiVersion':'autoscaling/v2','kind':'HorizontalPodAutoscaler',"
                + "'metadata':{'name':'web','namespace':'default'},"
                + "'spec':{'scaleTargetRef':{'kind':'Deployment','name':'web','apiVersion':'apps/v1'},"
                + "'minReplicas':1,'maxReplicas':10,'metrics':["
                + "{'type':'Resource','resource':{'name':'cpu','target':{'type':'Utilization','averageUtilization':60}}},"
                + "{'type':'ContainerResource','containerResource':{'name':'memory','container':'app',"
                + "'target':{'type':'AverageValue','averageValue':'512Mi'}}},"
                + "{'type':'Pods','pods':{'metric':{'name':'rps','selector':{'matchLabels':{'tier':'web'}}},"
                + "'target':{'type':'AverageValue','averageValue':'1k'}}},"
                + "{'type':'Object','object':{'describedObject':{'kind':'Ingress','name':'main',"
                + "'apiVersion':'networking.k8s.io/v1'},'metric':{'name':'hits'},"
                + "'target':{'type':'Value','value':'10k'}}},"
                + "{'type':'External','external':{'metric':{'name':'queue'},"
                + "'target':{'type':'Value','value':'30'}}}],"
                + "'behavior':{'scaleUp':{'stabilizationWindowSeconds':60,'selectPolicy':'Max',"
                + "'policies':[{'type':'Percent','value':100,'periodSeconds':15},"
                + "{'type':'Pods','value':4,'periodSeconds':15}]},"
                + "'scaleDown':{'stabilizationWindowSeconds':300,'policies':[{'type':'Percent','value':100,"
                + "'periodSeconds':15}]}}},"
                + "'status':{'observedGeneration':1,'currentReplicas':3,'desiredReplicas':4,"
                + "'currentMetrics':[{'type':'Resource','resource':{'name':'cpu',"
                + "'current':{'averageValue':'250m','averageUtilization':83}}}],"
                + "'conditions':[{'type':'AbleToScale','status':'True','lastTransitionTime':'2024-05-06T07:08:09Z',"
                + "'reason':'SucceededRescale','message':'ok'}]}}"));
    }

    @Test
    void endpointSlice() {
        assertRoundTrip(json("{'apiVersion':'discovery.k8s.io/v1','kind':'EndpointSlice',"
                + "'metadata':{'name':'web-abc','namespace':'default',"
                + "'labels':{'kubernetes.io/service-name':'web'}},"
                + "'addressType':'IPv4',"
                + "'endpoints':[{'addresses':['10.0.0.5'],'conditions':{'ready':true,'serving':true,"
                + "'terminating':false},'hostname':'web-0','nodeName':'node-1','zone':'a',"
                + "'targetRef':{'kind':'Pod','namespace':'default','name':'web-0','uid':'u-1'},"
                + "'hints':{'forZones':[{'name':'a'}]}},"
                + "{'addresses':['10.0.0.6','10.0.0.7'],'conditions':{'ready':false}}],"
                + "'ports':[{'name':'http','protocol':'TCP','port':8080,'appProtocol':'kubernetes.io/h2c'},"
                + "{'port':0}]}"));
    }

    @Test
    void eventsV1EventWithMicroTimeAndSeries() {
        assertRoundTrip(json("{'apiVersion':'events.k8s.io/v1','kind':'Event',"
                + "'metadata':{'name':'web.17a','namespace':'default'},"
                + "'eventTime':'2024-05-06T07:08:09.123456Z',"
                + "'series':{'count':3,'lastObservedTime':'2024-05-06T07:09:00.000001Z'},"
                + "'reportingController':'kube4j.io/scheduler','reportingInstance':'sched-1',"
                + "'action':'Binding','reason':'Scheduled',"
                + "'regarding':{'kind':'Pod','namespace':'default','name':'web-0','apiVersion':'v1'},"
                + "'related':{'kind':'Node','name':'node-1'},"
                + "'note':'assigned default/web-0 to node-1','type':'Normal',"
                + "'deprecatedSource':{'component':'scheduler','host':'h'},"
                + "'deprecatedFirstTimestamp':'2024-05-06T07:08:09Z','deprecatedCount':3}"));
    }

    @Test
    void storageClassAndCsiKinds() {
        assertRoundTrip(json("{'apiVersion':'storage.k8s.io/v1','kind':'StorageClass',"
                + "'metadata':{'name':'local','annotations':{'storageclass.kubernetes.io/is-default-class':'true'}},"
                + "'provisioner':'kube4j.io/hostpath','parameters':{'dir':'/var/lib/kube4j/pv'},"
                + "'reclaimPolicy':'Delete','mountOptions':['noatime'],'allowVolumeExpansion':false,"
                + "'volumeBindingMode':'WaitForFirstConsumer',"
                + "'allowedTopologies':[{'matchLabelExpressions':[{'key':'topology.kubernetes.io/zone',"
                + "'values':['a','b']}]}]}"));
        assertRoundTrip(json("{'apiVersion':'storage.k8s.io/v1','kind':'CSIDriver','metadata':{'name':'d'},"
                + "'spec':{'attachRequired':false,'podInfoOnMount':true,'volumeLifecycleModes':['Persistent'],"
                + "'fsGroupPolicy':'File','tokenRequests':[{'audience':'vault','expirationSeconds':600}]}}"));
        assertRoundTrip(json("{'apiVersion':'storage.k8s.io/v1','kind':'VolumeAttachment','metadata':{'name':'va'},"
                + "'spec':{'attacher':'d','source':{'persistentVolumeName':'pv-1'},'nodeName':'node-1'},"
                + "'status':{'attached':true,'attachmentMetadata':{'dev':'/dev/sdb'},"
                + "'detachError':{'time':'2024-05-06T07:08:09Z','message':'busy'}}}"));
    }

    @Test
    void certificateSigningRequestCarriesBytes() {
        String request = Base64.getEncoder().encodeToString(
                "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n"
                        .getBytes(StandardCharsets.US_ASCII));
        String certificate = Base64.getEncoder().encodeToString(new byte[] {0x30, (byte) 0x82, 0, 1, (byte) 0xff});
        ObjectNode csr = json("{'apiVersion':'certificates.k8s.io/v1','kind':'CertificateSigningRequest',"
                + "'metadata':{'name':'node-csr'},"
                + "'spec':{'request':'" + request + "','signerName':'kubernetes.io/kube-apiserver-client',"
                + "'expirationSeconds':86400,'usages':['digital signature','key encipherment','client auth'],"
                + "'username':'alice','uid':'u-1','groups':['system:authenticated'],"
                + "'extra':{'scopes':['a','b']}},"
                + "'status':{'conditions':[{'type':'Approved','status':'True','reason':'AutoApproved',"
                + "'message':'ok','lastUpdateTime':'2024-05-06T07:08:09Z',"
                + "'lastTransitionTime':'2024-05-06T07:08:09Z'}],'certificate':'" + certificate + "'}}");
        assertRoundTrip(csr);
        // the wire carries the PEM itself, not its base64 text
        String raw = new String(KubeProtobuf.encode(csr), StandardCharsets.ISO_8859_1);
        assertThat(raw).contains("BEGIN CERTIFICATE REQUEST").doesNotContain(request);
    }

    @Test
    void validatingAndMutatingWebhookConfigurations() {
        String caBundle = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4});
        assertRoundTrip(json("{'apiVersion':'admissionregistration.k8s.io/v1',"
                + "'kind':'ValidatingWebhookConfiguration','metadata':{'name':'policy'},"
                + "'webhooks':[{'name':'pods.policy.example.com',"
                + "'clientConfig':{'service':{'namespace':'policy','name':'webhook','path':'/validate','port':8443},"
                + "'caBundle':'" + caBundle + "'},"
                + "'rules':[{'operations':['CREATE','UPDATE'],'apiGroups':[''],'apiVersions':['v1'],"
                + "'resources':['pods'],'scope':'Namespaced'}],"
                + "'failurePolicy':'Fail','matchPolicy':'Equivalent',"
                + "'namespaceSelector':{'matchExpressions':[{'key':'runlevel','operator':'NotIn','values':['0']}]},"
                + "'objectSelector':{'matchLabels':{'check':'yes'}},"
                + "'sideEffects':'None','timeoutSeconds':5,'admissionReviewVersions':['v1'],"
                + "'matchConditions':[{'name':'not-system','expression':'request.userInfo.groups.exists(g, g == request.namespace)'}]},"
                + "{'name':'url.example.com','clientConfig':{'url':'https://hooks.example.com/v'},"
                + "'sideEffects':'NoneOnDryRun','admissionReviewVersions':['v1','v1beta1']}]}"));
        assertRoundTrip(json("{'apiVersion':'admissionregistration.k8s.io/v1',"
                + "'kind':'MutatingWebhookConfiguration','metadata':{'name':'inject'},"
                + "'webhooks':[{'name':'inject.example.com','clientConfig':{'url':'https://x/m'},"
                + "'rules':[{'operations':['CREATE'],'apiGroups':['apps'],'apiVersions':['v1'],"
                + "'resources':['deployments']}],'reinvocationPolicy':'IfNeeded','sideEffects':'None',"
                + "'admissionReviewVersions':['v1']}]}"));
        assertRoundTrip(json("{'apiVersion':'admissionregistration.k8s.io/v1','kind':'ValidatingAdmissionPolicy',"
                + "'metadata':{'name':'replicas'},"
                + "'spec':{'failurePolicy':'Fail','matchConstraints':{'resourceRules':[{'resourceNames':['web'],"
                + "'operations':['CREATE'],'apiGroups':['apps'],'apiVersions':['v1'],'resources':['deployments']}]},"
                + "'validations':[{'expression':'object.spec.replicas <= 5','message':'too many',"
                + "'reason':'Invalid'}],'variables':[{'name':'r','expression':'object.spec.replicas'}]}}"));
    }

    @Test
    void customResourceDefinitionWithSchemaSpecialCases() {
        assertRoundTrip(json("{'apiVersion':'apiextensions.k8s.io/v1','kind':'CustomResourceDefinition',"
                + "'metadata':{'name':'widgets.example.com'},"
                + "'spec':{'group':'example.com','scope':'Namespaced',"
                + "'names':{'plural':'widgets','singular':'widget','kind':'Widget','listKind':'WidgetList',"
                + "'shortNames':['wd'],'categories':['all']},"
                + "'versions':[{'name':'v1','served':true,'storage':true,"
                + "'subresources':{'status':{},'scale':{'specReplicasPath':'.spec.replicas',"
                + "'statusReplicasPath':'.status.replicas'}},"
                + "'additionalPrinterColumns':[{'name':'Size','type':'integer','jsonPath':'.spec.size'}],"
                + "'selectableFields':[{'jsonPath':'.spec.color'}],"
                + "'schema':{'openAPIV3Schema':{'type':'object','description':'a widget',"
                + "'required':['spec'],"
                + "'properties':{"
                + "'spec':{'type':'object','x-kubernetes-preserve-unknown-fields':true,"
                + "'x-kubernetes-validations':[{'rule':'self.size >= 0','message':'negative',"
                + "'fieldPath':'.size','reason':'FieldValueInvalid'}],"
                + "'properties':{"
                + "'size':{'type':'integer','format':'int32','minimum':0.5,'maximum':100.5,'multipleOf':0.25,'default':3},"
                + "'color':{'type':'string','enum':['red','blue'],'pattern':'^[a-z]+$','maxLength':10},"
                + "'port':{'x-kubernetes-int-or-string':true,'anyOf':[{'type':'integer'},{'type':'string'}]},"
                + "'labels':{'type':'object','additionalProperties':{'type':'string'}},"
                + "'ports':{'type':'array','x-kubernetes-list-type':'map',"
                + "'x-kubernetes-list-map-keys':['name'],"
                + "'items':{'type':'object','properties':{'name':{'type':'string'}}}},"
                + "'raw':{'type':'object','x-kubernetes-embedded-resource':true,"
                + "'x-kubernetes-preserve-unknown-fields':true},"
                + "'closed':{'type':'object','additionalProperties':false},"
                + "'example':{'type':'object','nullable':true,'example':{'a':[1,'two',null]}}}},"
                + "'status':{'type':'object','x-kubernetes-map-type':'atomic'}}}}}],"
                + "'conversion':{'strategy':'None'}},"
                + "'status':{'conditions':[{'type':'Established','status':'True',"
                + "'lastTransitionTime':'2024-05-06T07:08:09Z','reason':'InitialNamesAccepted',"
                + "'message':'the initial names have been accepted'}],"
                + "'acceptedNames':{'plural':'widgets','kind':'Widget'},'storedVersions':['v1']}}"));
    }

    @Test
    void customResourceDefinitionWithConversionWebhookAndRefs() {
        String caBundle = Base64.getEncoder().encodeToString(new byte[] {9, 8, 7});
        assertRoundTrip(json("{'apiVersion':'apiextensions.k8s.io/v1','kind':'CustomResourceDefinition',"
                + "'metadata':{'name':'gadgets.example.com'},"
                + "'spec':{'group':'example.com','scope':'Cluster','names':{'plural':'gadgets','kind':'Gadget'},"
                + "'versions':[{'name':'v1beta1','served':true,'storage':false,'deprecated':true,"
                + "'deprecationWarning':'use v1'},{'name':'v1','served':true,'storage':true,"
                + "'schema':{'openAPIV3Schema':{'$schema':'http://json-schema.org/draft-04/schema#',"
                + "'type':'object','definitions':{'thing':{'type':'string'}},"
                + "'properties':{'spec':{'$ref':'#/definitions/thing'},"
                + "'tuple':{'type':'array','items':[{'type':'string'},{'type':'integer'}]}}}}}],"
                + "'conversion':{'strategy':'Webhook','webhook':{'clientConfig':{'service':{'namespace':'sys',"
                + "'name':'conv','path':'/convert','port':443},'caBundle':'" + caBundle + "'},"
                + "'conversionReviewVersions':['v1']}}}}"));
    }

    @Test
    void runtimeClassWithOverheadAndTolerations() {
        assertRoundTrip(json("{'apiVersion':'node.k8s.io/v1','kind':'RuntimeClass','metadata':{'name':'gvisor'},"
                + "'handler':'runsc','overhead':{'podFixed':{'cpu':'250m','memory':'64Mi'}},"
                + "'scheduling':{'nodeSelector':{'sandbox':'true'},'tolerations':[{'key':'sandbox',"
                + "'operator':'Exists','effect':'NoSchedule'}]}}"));
    }

    /** kubectl 1.32 sends the HorizontalPodAutoscaler of {@code kubectl autoscale} as protobuf; it must decode. */
    @Test
    void kubectlAutoscaleBodyDecodes() throws Exception {
        assumeTrue(Files.isExecutable(KUBECTL), "kubectl 1.32 is not installed");
        FakeApiServer server = new FakeApiServer();
        try {
            String out = kubectl(server, "autoscale", "deployment", "web", "--min=1", "--max=3", "--cpu-percent=50");
            assertThat(out).contains("horizontalpodautoscaler.autoscaling/web autoscaled");
            FakeApiServer.Recorded post = server.onlyPost(
                    "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers");
            assertThat(post.contentType()).isEqualTo(KubeProtobuf.MEDIA_TYPE);
            assertThat(KubeProtobuf.decode(post.body())).isEqualTo(json(
                    "{'apiVersion':'autoscaling/v1','kind':'HorizontalPodAutoscaler','metadata':{'name':'web'},"
                            + "'spec':{'scaleTargetRef':{'kind':'Deployment','name':'web','apiVersion':'apps/v1'},"
                            + "'minReplicas':1,'maxReplicas':3,'targetCPUUtilizationPercentage':50},"
                            + "'status':{'currentReplicas':0,'desiredReplicas':0}}"));
        } finally {
            server.stop();
        }
    }

    private String kubectl(FakeApiServer server, String... args) throws Exception {
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: fake
                  cluster:
                    server: http://127.0.0.1:%d
                users:
                - name: nobody
                  user: {}
                contexts:
                - name: fake
                  context:
                    cluster: fake
                    user: nobody
                    namespace: default
                current-context: fake
                """.formatted(server.port()));
        List<String> command = new ArrayList<>();
        command.add(KUBECTL.toString());
        command.addAll(List.of(args));
        command.addAll(List.of("--kubeconfig", kubeconfig.toString(), "--cache-dir", dir.resolve("cache").toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("HOME", dir.toString());
        pb.redirectOutput(dir.resolve("kubectl.out").toFile());
        Process process = pb.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("kubectl finished").isTrue();
        String out = Files.readString(dir.resolve("kubectl.out"));
        assertThat(process.exitValue()).as("kubectl exit code, output:%n%s", out).isZero();
        return out;
    }

    /**
     * Answers the discovery documents and the GET of deployment "web" that {@code kubectl autoscale} needs, and
     * records every POST body; a created object is echoed back as JSON.
     */
    private static final class FakeApiServer {

        record Recorded(String path, String contentType, byte[] body) {
        }

        private static final String DEPLOYMENT = "{'apiVersion':'apps/v1','kind':'Deployment',"
                + "'metadata':{'name':'web','namespace':'default','uid':'d-1','resourceVersion':'5'},"
                + "'spec':{'replicas':1,'selector':{'matchLabels':{'app':'web'}},"
                + "'template':{'metadata':{'labels':{'app':'web'}},"
                + "'spec':{'containers':[{'name':'web','image':'nginx'}]}}},'status':{}}";

        private final HttpServer http;
        private final List<Recorded> posts = new CopyOnWriteArrayList<>();

        FakeApiServer() throws IOException {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.createContext("/", this::handle);
            http.start();
        }

        int port() {
            return http.getAddress().getPort();
        }

        void stop() {
            http.stop(0);
        }

        Recorded onlyPost(String path) {
            List<Recorded> matching = posts.stream().filter(r -> r.path().equals(path)).toList();
            assertThat(matching).as("POSTs to %s among %s", path, posts).hasSize(1);
            return matching.get(0);
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                byte[] body = exchange.getRequestBody().readAllBytes();
                if (exchange.getRequestMethod().equals("POST")) {
                    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
                    posts.add(new Recorded(path, contentType, body));
                    ObjectNode object = KubeProtobuf.isProtobuf(contentType)
                            ? KubeProtobuf.decode(body) : (ObjectNode) JSON.readTree(body);
                    respond(exchange, 201, JSON.writeValueAsString(object));
                    return;
                }
                String answer = documents().get(path);
                if (answer == null) {
                    respond(exchange, 404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                            + "\"reason\":\"NotFound\",\"code\":404}");
                } else {
                    respond(exchange, 200, answer.replace('\'', '"'));
                }
            }
        }

        private static Map<String, String> documents() {
            return Map.of(
                    "/version", "{'major':'1','minor':'32','gitVersion':'v1.32.4','platform':'linux/amd64'}",
                    "/api", "{'kind':'APIVersions','versions':['v1'],'serverAddressByClientCIDRs':[]}",
                    "/apis", "{'kind':'APIGroupList','apiVersion':'v1','groups':["
                            + group("apps", "v1") + "," + group("autoscaling", "v2", "v1") + "]}",
                    "/api/v1", resources("v1", resource("pods", "Pod")),
                    "/apis/apps/v1", resources("apps/v1", resource("deployments", "Deployment"),
                            resource("deployments/scale", "Scale")),
                    "/apis/autoscaling/v1", resources("autoscaling/v1",
                            resource("horizontalpodautoscalers", "HorizontalPodAutoscaler")),
                    "/apis/autoscaling/v2", resources("autoscaling/v2",
                            resource("horizontalpodautoscalers", "HorizontalPodAutoscaler")),
                    "/apis/apps/v1/namespaces/default/deployments/web", DEPLOYMENT);
        }

        private static String group(String name, String... versions) {
            List<String> entries = new ArrayList<>();
            for (String version : versions) {
                entries.add("{'groupVersion':'" + name + "/" + version + "','version':'" + version + "'}");
            }
            return "{'name':'" + name + "','versions':[" + String.join(",", entries) + "],'preferredVersion':"
                    + entries.get(0) + "}";
        }

        private static String resource(String plural, String kind) {
            return "{'name':'" + plural + "','singularName':'','namespaced':true,'kind':'" + kind
                    + "','verbs':['create','get','list','update']}";
        }

        private static String resources(String groupVersion, String... resources) {
            return "{'kind':'APIResourceList','apiVersion':'v1','groupVersion':'" + groupVersion
                    + "','resources':[" + String.join(",", resources) + "]}";
        }

        private static void respond(HttpExchange exchange, int code, String json) throws IOException {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(code, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }
}
