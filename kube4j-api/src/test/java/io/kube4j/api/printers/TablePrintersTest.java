package io.kube4j.api.printers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class TablePrintersTest {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private static final String META = "'metadata':{'name':'x','creationTimestamp':'2024-04-28T09:00:00Z'}";

    private static List<Object> cells(String group, String kind, String text) {
        return TablePrinters.forKind(group, kind).cells((ObjectNode) MAPPER.readTree(text.replace('\'', '"')), NOW);
    }

    private static List<String> names(String group, String kind) {
        return TablePrinters.forKind(group, kind).columns().stream().map(Column::name).toList();
    }

    @Test
    void everyRowHasOneCellPerColumn() {
        for (String[] gk : new String[][] {{"", "Pod"}, {"", "Service"}, {"", "Node"}, {"", "Namespace"}, {"", "ConfigMap"},
                {"", "Secret"}, {"", "ServiceAccount"}, {"", "Endpoints"}, {"", "Event"}, {"", "PersistentVolume"},
                {"", "PersistentVolumeClaim"}, {"", "ReplicationController"}, {"", "ResourceQuota"}, {"apps", "Deployment"},
                {"apps", "ReplicaSet"}, {"apps", "StatefulSet"}, {"apps", "DaemonSet"}, {"apps", "ControllerRevision"},
                {"batch", "Job"}, {"batch", "CronJob"}, {"coordination.k8s.io", "Lease"}, {"discovery.k8s.io", "EndpointSlice"},
                {"networking.k8s.io", "Ingress"}, {"networking.k8s.io", "IngressClass"}, {"networking.k8s.io", "NetworkPolicy"},
                {"policy", "PodDisruptionBudget"}, {"autoscaling", "HorizontalPodAutoscaler"}, {"storage.k8s.io", "StorageClass"},
                {"scheduling.k8s.io", "PriorityClass"}, {"rbac.authorization.k8s.io", "RoleBinding"},
                {"rbac.authorization.k8s.io", "ClusterRole"}, {"apiextensions.k8s.io", "CustomResourceDefinition"},
                {"events.k8s.io", "Event"}, {"example.com", "Widget"}}) {
            TablePrinter p = TablePrinters.forKind(gk[0], gk[1]);
            assertThat(p.cells((ObjectNode) MAPPER.readTree("{\"metadata\":{\"name\":\"x\"}}"), NOW))
                    .as(gk[1]).hasSize(p.columns().size());
        }
    }

    @Test
    void defaultTableIsNameAge() {
        assertThat(names("example.com", "Widget")).containsExactly("Name", "Age");
        assertThat(cells("example.com", "Widget", "{" + META + "}")).containsExactly("x", "3d3h");
        assertThat(TablePrinters.hasPrinter("example.com", "Widget")).isFalse();
        assertThat(TablePrinters.forKind("example.com", "Widget").columns().get(1).type()).isEqualTo("date");
        assertThat(TablePrinters.forKind("", "Pod").columns().get(0).format()).isEqualTo("name");
    }

    @Test
    void builtInsWithoutPrinterShowCreatedAt() {
        assertThat(names("apiextensions.k8s.io", "CustomResourceDefinition")).containsExactly("Name", "Created At");
        assertThat(TablePrinters.forKind("rbac.authorization.k8s.io", "ClusterRole").columns().get(1).type()).isEqualTo("date");
        assertThat(cells("rbac.authorization.k8s.io", "Role", "{" + META + "}")).containsExactly("x", "2024-04-28T09:00:00Z");
    }

    @Test
    void services() {
        assertThat(names("", "Service")).containsExactly("Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector");
        assertThat(cells("", "Service", "{" + META + ",'spec':{'type':'ClusterIP','clusterIPs':['10.96.0.10'],'selector':{'b':'2','a':'1'},"
                + "'ports':[{'port':53,'protocol':'UDP'},{'port':80,'protocol':'TCP'}]}}"))
                .containsExactly("x", "ClusterIP", "10.96.0.10", "<none>", "53/UDP,80/TCP", "3d3h", "a=1,b=2");
        assertThat(cells("", "Service", "{" + META + ",'spec':{'type':'NodePort','clusterIPs':['10.96.0.11'],'ports':[{'port':80,'nodePort':30080,'protocol':'TCP'}]}}"))
                .containsExactly("x", "NodePort", "10.96.0.11", "<none>", "80:30080/TCP", "3d3h", "<none>");
        assertThat(cells("", "Service", "{" + META + ",'spec':{'type':'LoadBalancer','ports':[]}}").subList(2, 5))
                .containsExactly("<none>", "<pending>", "<none>");
        assertThat(cells("", "Service", "{" + META + ",'spec':{'type':'ExternalName','externalName':'db.example.com'}}").get(3))
                .isEqualTo("db.example.com");
    }

    @Test
    void deployments() {
        assertThat(names("apps", "Deployment")).containsExactly("Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector");
        assertThat(cells("apps", "Deployment", "{" + META + ",'spec':{'replicas':3,'selector':{'matchLabels':{'app':'web'},"
                + "'matchExpressions':[{'key':'tier','operator':'In','values':['b','a']}]},"
                + "'template':{'spec':{'containers':[{'name':'web','image':'nginx:1'},{'name':'log','image':'busybox'}]}}},"
                + "'status':{'readyReplicas':2,'updatedReplicas':3,'availableReplicas':2}}"))
                .containsExactly("x", "2/3", 3L, 2L, "3d3h", "web,log", "nginx:1,busybox", "app=web,tier in (a,b)");
    }

    @Test
    void replicaSetsStatefulSetsDaemonSets() {
        assertThat(cells("apps", "ReplicaSet", "{" + META + ",'spec':{'replicas':2,'selector':{'matchLabels':{'app':'web'}}},'status':{'replicas':2,'readyReplicas':1}}"))
                .containsExactly("x", 2L, 2L, 1L, "3d3h", "", "", "app=web");
        assertThat(cells("apps", "StatefulSet", "{" + META + ",'spec':{'replicas':3},'status':{'readyReplicas':3}}").subList(0, 3))
                .containsExactly("x", "3/3", "3d3h");
        assertThat(names("apps", "DaemonSet")).containsExactly("Name", "Desired", "Current", "Ready", "Up-to-date", "Available",
                "Node Selector", "Age", "Containers", "Images", "Selector");
    }

    @Test
    void jobs() {
        assertThat(names("batch", "Job")).containsExactly("Name", "Status", "Completions", "Duration", "Age", "Containers", "Images", "Selector");
        assertThat(cells("batch", "Job", "{" + META + ",'spec':{'completions':1},'status':{'succeeded':1,'startTime':'2024-05-01T11:00:00Z',"
                + "'completionTime':'2024-05-01T11:00:12Z','conditions':[{'type':'Complete','status':'True'}]}}").subList(0, 5))
                .containsExactly("x", "Complete", "1/1", "12s", "3d3h");
        assertThat(cells("batch", "Job", "{" + META + ",'spec':{'parallelism':3},'status':{'startTime':'2024-05-01T11:57:00Z'}}").subList(1, 4))
                .containsExactly("Running", "0/1 of 3", "3m");
        assertThat(cells("batch", "Job", "{" + META + ",'spec':{'completions':2},'status':{'conditions':[{'type':'Failed','status':'True'}]}}").subList(1, 4))
                .containsExactly("Failed", "0/2", "");
    }

    @Test
    void cronJobs() {
        assertThat(names("batch", "CronJob")).containsExactly("Name", "Schedule", "Timezone", "Suspend", "Active", "Last Schedule", "Age",
                "Containers", "Images", "Selector");
        assertThat(cells("batch", "CronJob", "{" + META + ",'spec':{'schedule':'*/5 * * * *','suspend':false},"
                + "'status':{'active':[{}],'lastScheduleTime':'2024-05-01T11:55:00Z'}}").subList(0, 7))
                .containsExactly("x", "*/5 * * * *", "<none>", "false", 1L, "5m", "3d3h");
    }

    @Test
    void nodes() {
        assertThat(cells("", "Node", "{'metadata':{'name':'n1','creationTimestamp':'2024-04-28T09:00:00Z','labels':"
                + "{'node-role.kubernetes.io/control-plane':'','kubernetes.io/role':'worker'}},'spec':{'unschedulable':true},"
                + "'status':{'conditions':[{'type':'Ready','status':'True'}],'nodeInfo':{'kubeletVersion':'v1.32.0'},"
                + "'addresses':[{'type':'InternalIP','address':'10.0.0.1'}]}}"))
                .containsExactly("n1", "Ready,SchedulingDisabled", "control-plane,worker", "3d3h", "v1.32.0", "10.0.0.1", "<none>",
                        "<unknown>", "<unknown>", "<unknown>");
        assertThat(cells("", "Node", "{" + META + "}").get(1)).isEqualTo("Unknown");
    }

    @Test
    void configMapsSecretsNamespaces() {
        assertThat(cells("", "ConfigMap", "{" + META + ",'data':{'a':'1','b':'2'},'binaryData':{'c':'AA=='}}")).containsExactly("x", 3L, "3d3h");
        assertThat(names("", "Secret")).containsExactly("Name", "Type", "Data", "Age");
        assertThat(cells("", "Secret", "{" + META + ",'type':'Opaque','data':{'a':'MQ=='}}")).containsExactly("x", "Opaque", 1L, "3d3h");
        assertThat(cells("", "Namespace", "{" + META + ",'status':{'phase':'Active'}}")).containsExactly("x", "Active", "3d3h");
    }

    @Test
    void endpoints() {
        assertThat(cells("", "Endpoints", "{" + META + ",'subsets':[{'addresses':[{'ip':'10.0.0.1'},{'ip':'10.0.0.2'}],"
                + "'ports':[{'port':80},{'port':443}]}]}").get(1)).isEqualTo("10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...");
        assertThat(cells("", "Endpoints", "{" + META + "}").get(1)).isEqualTo("<none>");
    }

    @Test
    void events() {
        assertThat(names("", "Event")).containsExactly("Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message",
                "First Seen", "Count", "Name");
        assertThat(cells("", "Event", "{'metadata':{'name':'p.1'},'type':'Normal','reason':'Pulled','message':' done \\n',"
                + "'involvedObject':{'kind':'Pod','name':'p','fieldPath':'spec.containers{a}'},'source':{'component':'kubelet','host':'n1'},"
                + "'firstTimestamp':'2024-05-01T11:00:00Z','lastTimestamp':'2024-05-01T11:59:00Z','count':4}"))
                .containsExactly("60s", "Normal", "Pulled", "pod/p", "spec.containers{a}", "kubelet, n1", "done", "60m", 4L, "p.1");
    }

    @Test
    void storageAndClaims() {
        assertThat(cells("", "PersistentVolumeClaim", "{" + META + ",'spec':{'volumeName':'pv1','storageClassName':'local','volumeMode':'Filesystem'},"
                + "'status':{'phase':'Bound','capacity':{'storage':'1Gi'},'accessModes':['ReadWriteOnce','ReadWriteMany']}}"))
                .containsExactly("x", "Bound", "pv1", "1Gi", "RWO,RWX", "local", "<unset>", "3d3h", "Filesystem");
        assertThat(cells("", "PersistentVolume", "{" + META + ",'spec':{'capacity':{'storage':'5Gi'},'accessModes':['ReadWriteOnce'],"
                + "'persistentVolumeReclaimPolicy':'Retain','claimRef':{'namespace':'d','name':'c'}},'status':{'phase':'Bound'}}"))
                .containsExactly("x", "5Gi", "RWO", "Retain", "Bound", "d/c", "", "<unset>", "", "3d3h", "<unset>");
        assertThat(cells("storage.k8s.io", "StorageClass", "{'metadata':{'name':'local','annotations':"
                + "{'storageclass.kubernetes.io/is-default-class':'true'}},'provisioner':'kube4j.io/local'}"))
                .containsExactly("local (default)", "kube4j.io/local", "Delete", "Immediate", false, "<unknown>");
    }

    @Test
    void networkingAndPolicy() {
        assertThat(cells("networking.k8s.io", "Ingress", "{" + META + ",'spec':{'ingressClassName':'nginx','rules':[{'host':'a.com'},{'host':'b.com'}],"
                + "'tls':[{}]},'status':{'loadBalancer':{'ingress':[{'ip':'1.2.3.4'}]}}}"))
                .containsExactly("x", "nginx", "a.com,b.com", "1.2.3.4", "80, 443", "3d3h");
        assertThat(cells("discovery.k8s.io", "EndpointSlice", "{" + META + ",'addressType':'IPv4','ports':[{'port':80}],"
                + "'endpoints':[{'addresses':['10.0.0.1']},{'addresses':['10.0.0.2']}]}"))
                .containsExactly("x", "IPv4", "80", "10.0.0.1,10.0.0.2", "3d3h");
        assertThat(cells("policy", "PodDisruptionBudget", "{" + META + ",'spec':{'minAvailable':'50%'},'status':{'disruptionsAllowed':1}}"))
                .containsExactly("x", "50%", "N/A", 1L, "3d3h");
        assertThat(cells("coordination.k8s.io", "Lease", "{" + META + ",'spec':{'holderIdentity':'node-1'}}")).containsExactly("x", "node-1", "3d3h");
    }

    @Test
    void hpas() {
        assertThat(cells("autoscaling", "HorizontalPodAutoscaler", "{" + META + ",'spec':{'scaleTargetRef':{'kind':'Deployment','name':'web'},"
                + "'minReplicas':1,'maxReplicas':5,'metrics':[{'type':'Resource','resource':{'name':'cpu','target':{'type':'Utilization','averageUtilization':80}}}]},"
                + "'status':{'currentReplicas':2,'currentMetrics':[{'type':'Resource','resource':{'name':'cpu','current':{'averageUtilization':30}}}]}}"))
                .containsExactly("x", "Deployment/web", "cpu: 30%/80%", "1", 5L, 2L, "3d3h");
        assertThat(cells("autoscaling", "HorizontalPodAutoscaler", "{" + META + ",'spec':{'scaleTargetRef':{'kind':'Deployment','name':'web'},"
                + "'maxReplicas':5,'targetCPUUtilizationPercentage':50}}").get(2)).isEqualTo("cpu: <unknown>/50%");
    }

    @Test
    void rbacAndScheduling() {
        assertThat(cells("rbac.authorization.k8s.io", "RoleBinding", "{" + META + ",'roleRef':{'kind':'ClusterRole','name':'view'},"
                + "'subjects':[{'kind':'User','name':'jane'},{'kind':'ServiceAccount','namespace':'d','name':'sa'},{'kind':'Group','name':'devs'}]}"))
                .containsExactly("x", "ClusterRole/view", "3d3h", "jane", "devs", "d/sa");
        assertThat(cells("scheduling.k8s.io", "PriorityClass", "{" + META + ",'value':1000,'globalDefault':true,'preemptionPolicy':'Never'}"))
                .containsExactly("x", 1000L, true, "3d3h", "Never");
    }
}
