package io.mfagov.graphsim.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** Built-in Entra role template ids (= roleDefinitionId of built-in roles) used by fixtures and the generator. */
public final class BuiltInRoles {
    public static final String GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";
    public static final String SECURITY_ADMINISTRATOR = "194ae4cb-b126-40b2-bd5b-6091b380977d";
    public static final String EXCHANGE_ADMINISTRATOR = "29232cdf-9323-42fd-ade2-1d097af3e4de";
    public static final String SHAREPOINT_ADMINISTRATOR = "f28a1f50-f6e7-4571-818b-6a12f2af6b6c";
    public static final String CONDITIONAL_ACCESS_ADMINISTRATOR = "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9";
    public static final String HELPDESK_ADMINISTRATOR = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
    public static final String BILLING_ADMINISTRATOR = "b0f54661-2d74-4c50-afa3-1ec803f12efe";
    public static final String USER_ADMINISTRATOR = "fe930be7-5e62-47db-91af-98c3a49a38b1";
    public static final String AUTHENTICATION_ADMINISTRATOR = "c4e39bd9-1100-46d3-8c65-fb160da0071f";
    public static final String APPLICATION_ADMINISTRATOR = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3";
    public static final String CLOUD_APPLICATION_ADMINISTRATOR = "158c047a-c907-4556-b7ef-446551a6b5f7";
    public static final String PASSWORD_ADMINISTRATOR = "966707d0-3269-4727-9be2-8c3a10f19b9d";
    public static final String PRIVILEGED_AUTHENTICATION_ADMINISTRATOR = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13";
    public static final String PRIVILEGED_ROLE_ADMINISTRATOR = "e8611ab8-c189-46e8-94e1-60213ab1f814";
    public static final String GLOBAL_READER = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";
    public static final String DIRECTORY_SYNCHRONIZATION_ACCOUNTS = "d29b2b05-8046-44ba-8758-1e26182fcf32";
    public static final String SECURITY_READER = "5d6b6bb7-de71-4623-b4af-96380a352509";

    /** The 15 admin roles Microsoft's "Require MFA for admins" template targets (as in the list-policies example). */
    public static final String[] ADMIN_ROLES_OF_MFA_TEMPLATE = {
        GLOBAL_ADMINISTRATOR, SECURITY_ADMINISTRATOR, SHAREPOINT_ADMINISTRATOR, EXCHANGE_ADMINISTRATOR,
        CONDITIONAL_ACCESS_ADMINISTRATOR, HELPDESK_ADMINISTRATOR, BILLING_ADMINISTRATOR, USER_ADMINISTRATOR,
        AUTHENTICATION_ADMINISTRATOR, APPLICATION_ADMINISTRATOR, CLOUD_APPLICATION_ADMINISTRATOR,
        PASSWORD_ADMINISTRATOR, PRIVILEGED_AUTHENTICATION_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR, GLOBAL_READER
    };

    public static final Map<String, String> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put(GLOBAL_ADMINISTRATOR, "Global Administrator");
        NAMES.put(SECURITY_ADMINISTRATOR, "Security Administrator");
        NAMES.put(EXCHANGE_ADMINISTRATOR, "Exchange Administrator");
        NAMES.put(SHAREPOINT_ADMINISTRATOR, "SharePoint Administrator");
        NAMES.put(CONDITIONAL_ACCESS_ADMINISTRATOR, "Conditional Access Administrator");
        NAMES.put(HELPDESK_ADMINISTRATOR, "Helpdesk Administrator");
        NAMES.put(BILLING_ADMINISTRATOR, "Billing Administrator");
        NAMES.put(USER_ADMINISTRATOR, "User Administrator");
        NAMES.put(AUTHENTICATION_ADMINISTRATOR, "Authentication Administrator");
        NAMES.put(APPLICATION_ADMINISTRATOR, "Application Administrator");
        NAMES.put(CLOUD_APPLICATION_ADMINISTRATOR, "Cloud Application Administrator");
        NAMES.put(PASSWORD_ADMINISTRATOR, "Password Administrator");
        NAMES.put(PRIVILEGED_AUTHENTICATION_ADMINISTRATOR, "Privileged Authentication Administrator");
        NAMES.put(PRIVILEGED_ROLE_ADMINISTRATOR, "Privileged Role Administrator");
        NAMES.put(GLOBAL_READER, "Global Reader");
        NAMES.put(DIRECTORY_SYNCHRONIZATION_ACCOUNTS, "Directory Synchronization Accounts");
        NAMES.put(SECURITY_READER, "Security Reader");
    }

    private BuiltInRoles() {
    }
}
