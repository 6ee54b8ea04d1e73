import * as assert from "assert";
import { loadBalancerHost, serviceDnsName } from "../components/cluster/addresses";

describe("cluster addresses", () => {
    it("names a Service by its fully qualified in-cluster DNS name", () => {
        assert.strictEqual(serviceDnsName("torchserve", "serving"), "torchserve.serving.svc.cluster.local");
    });

    it("takes the load balancer's hostname (AWS) or IP (Azure, GCP)", () => {
        assert.strictEqual(
            loadBalancerHost({ loadBalancer: { ingress: [{ hostname: "a1.elb.amazonaws.com" }] } }),
            "a1.elb.amazonaws.com",
        );
        assert.strictEqual(loadBalancerHost({ loadBalancer: { ingress: [{ ip: "20.1.2.3" }] } }), "20.1.2.3");
        assert.strictEqual(loadBalancerHost({ loadBalancer: { ingress: [{}, { ip: "20.1.2.4" }] } }), "20.1.2.4");
    });

    it("has no host until the cloud assigns one", () => {
        assert.strictEqual(loadBalancerHost(undefined), undefined);
        assert.strictEqual(loadBalancerHost({}), undefined);
        assert.strictEqual(loadBalancerHost({ loadBalancer: { ingress: [] } }), undefined);
        assert.strictEqual(loadBalancerHost({ loadBalancer: { ingress: [{}] } }), undefined);
    });
});
