//! The Microsoft pages the rules come from, each named once, so that every
//! check's `sources` and every link in `rules`, `explain`, `docs/rules.md`
//! and SARIF agree.

use super::Source;

const fn page(title: &'static str, url: &'static str) -> Source {
    Source {
        rules: &[],
        title,
        url,
    }
}

/// The seed: the prerequisites every check of the 2019 page comes from.
pub const PREREQUISITES_2019: Source = page(
    "Dynamics 365 for Customer Engagement prerequisites (Cloud Partner Portal, 13 March 2019)",
    "https://docs.microsoft.com/azure/marketplace/cloud-partner-portal/dyn365ce/cpp-prerequisites",
);

pub const STOREFRONT_2019: Source = page(
    "Dynamics 365 for Customer Engagement Storefront Details tab (Cloud Partner Portal, 24 April 2019)",
    "https://docs.microsoft.com/azure/marketplace/cloud-partner-portal/dyn365ce/cpp-storefront-details-tab",
);

pub const OFFER_SETUP: Source = page(
    "Create a Dynamics 365 apps on Dataverse and Power Apps offer (Partner Center)",
    "https://learn.microsoft.com/partner-center/marketplace-offers/dynamics-365-customer-engage-offer-setup",
);

pub const OFFER_PROPERTIES: Source = page(
    "Configure Dynamics 365 apps on Dataverse and Power Apps offer properties (Partner Center)",
    "https://learn.microsoft.com/partner-center/marketplace-offers/dynamics-365-customer-engage-properties",
);

pub const OFFER_LISTING: Source = page(
    "Configure Dynamics 365 apps on Dataverse and Power Apps offer listing details (Partner Center)",
    "https://learn.microsoft.com/partner-center/marketplace-offers/dynamics-365-customer-engage-offer-listing",
);

pub const HTML_TAGS: Source = page(
    "Supported HTML tags in commercial marketplace offer descriptions (Partner Center)",
    "https://learn.microsoft.com/partner-center/marketplace-offers/supported-html-tags",
);

pub const TEST_DRIVE: Source = page(
    "What is a test drive? (Partner Center: test drives are retired, offer a free trial instead)",
    "https://learn.microsoft.com/partner-center/marketplace-offers/what-is-test-drive",
);

pub const CREATE_ACCOUNT: Source = page(
    "Create a commercial marketplace account in Partner Center",
    "https://learn.microsoft.com/partner-center/marketplace-offers/create-account",
);

pub const APPSOURCE_AAD: Source = page(
    "How to get AppSource certified for Azure Active Directory (Microsoft identity platform)",
    "https://docs.microsoft.com/azure/active-directory/develop/howto-get-appsource-certified",
);

pub const MULTI_TENANT: Source = page(
    "Convert a single-tenant app to multitenant on Microsoft Entra ID",
    "https://learn.microsoft.com/entra/identity-platform/howto-convert-app-to-be-multi-tenant",
);

pub const APP_MANIFEST: Source = page(
    "Microsoft Entra app manifest reference",
    "https://learn.microsoft.com/entra/identity-platform/reference-app-manifest",
);

pub const REDIRECT_URIS: Source = page(
    "Redirect URI (reply URL) best practices and limitations (Microsoft Entra)",
    "https://learn.microsoft.com/entra/identity-platform/reply-url",
);

pub const PUBLISHER_VERIFICATION: Source = page(
    "Publisher verification (Microsoft Entra)",
    "https://learn.microsoft.com/entra/identity-platform/publisher-verification-overview",
);

pub const AUTHORIZATION_CODE_FLOW: Source = page(
    "Microsoft identity platform and the OAuth 2.0 authorization code flow",
    "https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow",
);

pub const POLICY_100_1: Source = page(
    "Commercial marketplace certification policies, 100.1 Value proposition and offer requirements",
    "https://learn.microsoft.com/legal/marketplace/certification-policies#1001-value-proposition-and-offer-requirements",
);

pub const POLICY_100_3: Source = page(
    "Commercial marketplace certification policies, 100.3 Graphic elements",
    "https://learn.microsoft.com/legal/marketplace/certification-policies#1003-graphic-elements",
);

pub const POLICY_100_4: Source = page(
    "Commercial marketplace certification policies, 100.4 Acquisition, pricing, and terms",
    "https://learn.microsoft.com/legal/marketplace/certification-policies#1004-acquisition-pricing-and-terms",
);

pub const POLICY_100_5: Source = page(
    "Commercial marketplace certification policies, 100.5 Offer information",
    "https://learn.microsoft.com/legal/marketplace/certification-policies#1005-offer-information",
);

/// A page as the source of some rules only (ids, or a prefix ending in `*`).
pub const fn for_rules(source: Source, rules: &'static [&'static str]) -> Source {
    Source { rules, ..source }
}
