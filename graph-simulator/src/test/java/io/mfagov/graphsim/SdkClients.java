package io.mfagov.graphsim;

import com.azure.identity.ClientSecretCredentialBuilder;
import com.microsoft.graph.core.requests.BaseGraphRequestAdapter;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.core.authentication.AzureIdentityAuthenticationProvider;

/** Test support: the real Graph SDK, authenticated through the simulator's token authority, for one tenant. */
final class SdkClients {

    private SdkClients() {
    }

    static GraphServiceClient graph(GraphSimulator sim, String tenant) {
        TenantCredentials c = sim.credentials(tenant);
        var credential = new ClientSecretCredentialBuilder().tenantId(tenant).clientId(c.clientId())
                .clientSecret(c.simulatorClientSecret()).authorityHost(c.authorityHost()).disableInstanceDiscovery().build();
        var auth = new AzureIdentityAuthenticationProvider(credential, new String[] {"127.0.0.1"},
                "https://graph.microsoft.com/.default");
        BaseGraphRequestAdapter adapter = new BaseGraphRequestAdapter(auth);
        adapter.setBaseUrl(sim.graphBaseUrl());
        return new GraphServiceClient(adapter);
    }
}
