//! AppSource packages for the tests, built from Microsoft's documents and
//! its Industry-Links sample: an outer zip with input.xml,
//! [Content_Types].xml, a 32x32 logo and the terms, holding a Package
//! Deployer package (the classic PkgFolder layout with a .dll, or the one
//! `pac package init` builds) that holds a managed solution. A test changes
//! one part, then builds the zips.
#![allow(dead_code)]

use std::io::Write;

use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

/// The entries of one zip, in order.
pub type Entries = Vec<(String, Vec<u8>)>;

/// A zip of these entries, each compressed with `method`.
pub fn zip_with(entries: &[(String, Vec<u8>)], method: CompressionMethod) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(method);
    for (name, bytes) in entries {
        if name.ends_with('/') {
            writer
                .add_directory(name.trim_end_matches('/'), options)
                .unwrap();
        } else {
            writer.start_file(name.as_str(), options).unwrap();
            writer.write_all(bytes).unwrap();
        }
    }
    writer.finish().unwrap().into_inner()
}

/// A zip of these entries, deflated as Windows and .NET write them.
pub fn zip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    zip_with(entries, CompressionMethod::Deflated)
}

pub fn entries(list: &[(&str, &[u8])]) -> Entries {
    list.iter()
        .map(|(name, bytes)| ((*name).to_owned(), bytes.to_vec()))
        .collect()
}

pub const INPUT_XML: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<PvsPackageData>
  <ProviderName>Contoso</ProviderName>
  <PackageFile>package.zip</PackageFile>
  <SolutionAnchorName>ContosoFieldInspections_managed.zip</SolutionAnchorName>
  <StartDate>12/01/2026</StartDate>
  <EndDate>12/31/2035</EndDate>
  <SupportedCountries>US,CA,GB,FR,DE</SupportedCountries>
  <LearnMoreLink>https://contoso.com/field-inspections</LearnMoreLink>
  <Locales>
    <PackageLocale Code="1033" IsDefault="true">
      <Logo>logo32x32.png</Logo>
      <Terms>
        <PackageTerm File="TermsOfUse.html" />
      </Terms>
    </PackageLocale>
  </Locales>
</PvsPackageData>
"#;

/// The outer zip's content types, as Microsoft's sample writes them.
pub const CONTENT_TYPES: &str = "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"dll\" ContentType=\"application/octet-stream\" /><Default Extension=\"zip\" ContentType=\"application/zip\" /><Default Extension=\"xml\" ContentType=\"text/xml\" /><Default Extension=\"html\" ContentType=\"text/html\" /><Default Extension=\"png\" ContentType=\"image/png\" /></Types>";

/// The package file's and the solution's, as the docs' sample writes them.
pub const INNER_CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/octet-stream\" /><Default Extension=\"xaml\" ContentType=\"application/octet-stream\" /><Default Extension=\"dll\" ContentType=\"application/octet-stream\" /><Default Extension=\"zip\" ContentType=\"application/octet-stream\" /><Default Extension=\"json\" ContentType=\"application/octet-stream\" /></Types>";

pub const TERMS: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"UTF-8\" /><title>Terms of use</title></head>\n<body>\n<h1>Terms of use</h1>\n<p>By installing Contoso Field Inspections you agree to these terms.</p>\n</body>\n</html>\n";

pub const IMPORT_CONFIG: &str = r#"<?xml version="1.0" encoding="utf-16"?>
<configdatastorage xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                   installsampledata="false"
                   waitforsampledatatoinstall="true"
                   agentdesktopzipfile=""
                   agentdesktopexename=""
                   crmmigdataimportfile="">
  <solutions>
    <configsolutionfile solutionpackagefilename="ContosoFieldInspections_managed.zip"
                        overwriteunmanagedcustomizations="false"
                        publishworkflowsandactivateplugins="true" />
  </solutions>
</configdatastorage>
"#;

pub const SOLUTION_XML: &str = r#"<ImportExportXml version="9.2.24012.196" SolutionPackageVersion="9.2" languagecode="1033" generatedBy="CrmLive" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" OrganizationVersion="9.2.24012.196" OrganizationSchemaType="Standard" CRMServerServiceabilityVersion="9.2.24012.00196">
  <SolutionManifest>
    <UniqueName>ContosoFieldInspections</UniqueName>
    <LocalizedNames>
      <LocalizedName description="Contoso Field Inspections" languagecode="1033" />
    </LocalizedNames>
    <Descriptions>
      <Description description="Inspect equipment on site and sync findings to Dynamics 365." languagecode="1033" />
    </Descriptions>
    <Version>1.0.0.0</Version>
    <Managed>1</Managed>
    <Publisher>
      <UniqueName>contoso</UniqueName>
      <LocalizedNames>
        <LocalizedName description="Contoso Ltd." languagecode="1033" />
      </LocalizedNames>
      <Descriptions />
      <EMailAddress xsi:nil="true"></EMailAddress>
      <SupportingWebsiteUrl xsi:nil="true"></SupportingWebsiteUrl>
      <CustomizationPrefix>cfi</CustomizationPrefix>
      <CustomizationOptionValuePrefix>10342</CustomizationOptionValuePrefix>
    </Publisher>
    <RootComponents />
    <MissingDependencies />
  </SolutionManifest>
</ImportExportXml>
"#;

pub const CUSTOMIZATIONS_XML: &str = "<ImportExportXml xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" OrganizationVersion=\"9.2.24012.196\"><Entities /><Roles /><Workflows /><FieldSecurityProfiles /><Templates /><EntityMaps /><EntityRelationships /><OrganizationSettings /><optionsets /><CustomControls /><EntityDataProviders /><Languages><Language>1033</Language></Languages></ImportExportXml>";

/// `ImportConfig.xml` as Visual Studio saves it: UTF-16 with a byte-order mark.
pub fn utf16(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

/// A 32x32 PNG.
pub fn logo() -> Vec<u8> {
    super::png(32, 32)
}

/// An AppSource package, in parts that a test can change before it is built.
#[derive(Debug, Clone)]
pub struct Package {
    /// The outer zip, but for the package file.
    pub outer: Entries,
    /// The package file's name in the outer zip.
    pub package_name: String,
    /// The package file, but for its solutions.
    pub deployer: Entries,
    /// The package folder, with its `/`.
    pub folder: String,
    /// Each solution zip: its name in the package folder and its entries.
    pub solutions: Vec<(String, Entries)>,
    /// How the package file and the solutions are stored in their parents.
    pub method: CompressionMethod,
}

impl Package {
    /// A valid package of the classic layout: PkgFolder/ with a .dll.
    pub fn classic() -> Self {
        Self {
            outer: vec![
                (
                    "[Content_Types].xml".to_owned(),
                    CONTENT_TYPES.as_bytes().to_vec(),
                ),
                ("input.xml".to_owned(), INPUT_XML.as_bytes().to_vec()),
                ("logo32x32.png".to_owned(), logo()),
                ("TermsOfUse.html".to_owned(), TERMS.as_bytes().to_vec()),
            ],
            package_name: "package.zip".to_owned(),
            deployer: vec![
                (
                    "[Content_Types].xml".to_owned(),
                    INNER_CONTENT_TYPES.as_bytes().to_vec(),
                ),
                (
                    "ContosoFieldInspectionsPackage.dll".to_owned(),
                    b"MZ\x90\x00 a .NET assembly".to_vec(),
                ),
                (
                    "PkgFolder/ImportConfig.xml".to_owned(),
                    utf16(IMPORT_CONFIG),
                ),
            ],
            folder: "PkgFolder/".to_owned(),
            solutions: vec![(
                "ContosoFieldInspections_managed.zip".to_owned(),
                solution_entries(SOLUTION_XML),
            )],
            method: CompressionMethod::Deflated,
        }
    }

    /// A valid package of the layout `pac package init` and `dotnet
    /// publish` build (a `*.pdpkg.zip`, renamed package.zip as Microsoft's
    /// sample does): PkgAssets/ and no .dll of the package's own.
    pub fn pdpkg() -> Self {
        let mut package = Self::classic();
        package.deployer = vec![
            (
                "[Content_Types].xml".to_owned(),
                INNER_CONTENT_TYPES.as_bytes().to_vec(),
            ),
            (
                "manifest.ppkg.json".to_owned(),
                br#"{"packageName":"ContosoFieldInspections","version":"1.0.0"}"#.to_vec(),
            ),
            (
                "PkgAssets/ImportConfig.xml".to_owned(),
                IMPORT_CONFIG.as_bytes().to_vec(),
            ),
        ];
        package.folder = "PkgAssets/".to_owned();
        package
    }

    /// The package of the broken example offer: mistakes a publisher makes
    /// in input.xml, and an unmanaged solution.
    pub fn broken() -> Self {
        let mut package = Self::classic();
        package
            .edit(
                "input.xml",
                "<ProviderName>Contoso",
                "<ProviderName>Fabrikam",
            )
            .edit(
                "input.xml",
                "https://contoso.com/field-inspections",
                "https://fabrikam.com/route-planner",
            )
            .edit(
                "input.xml",
                "<StartDate>12/01/2026",
                "<StartDate>2026-12-01",
            )
            .edit("input.xml", "US,CA,GB,FR,DE", "US, CA, UK")
            .edit("input.xml", "Code=\"1033\"", "Code=\"en-US\"")
            .edit_solution(
                "solution.xml",
                "<Managed>1</Managed>",
                "<Managed>0</Managed>",
            );
        package
    }

    /// Replaces text in an entry of the outer zip; the text must be there.
    pub fn edit(&mut self, entry: &str, from: &str, to: &str) -> &mut Self {
        edit(&mut self.outer, entry, from, to);
        self
    }

    /// Replaces text in an entry of the package file (the solutions aside).
    pub fn edit_deployer(&mut self, entry: &str, from: &str, to: &str) -> &mut Self {
        edit(&mut self.deployer, entry, from, to);
        self
    }

    /// Replaces text in an entry of the first solution.
    pub fn edit_solution(&mut self, entry: &str, from: &str, to: &str) -> &mut Self {
        edit(&mut self.solutions[0].1, entry, from, to);
        self
    }

    /// Sets an entry of the outer zip, adding it when it is not there.
    pub fn set(&mut self, entry: &str, bytes: impl Into<Vec<u8>>) -> &mut Self {
        set(&mut self.outer, entry, bytes.into());
        self
    }

    pub fn remove(&mut self, entry: &str) -> &mut Self {
        remove(&mut self.outer, entry);
        self
    }

    pub fn remove_deployer(&mut self, entry: &str) -> &mut Self {
        remove(&mut self.deployer, entry);
        self
    }

    pub fn remove_solution(&mut self, entry: &str) -> &mut Self {
        remove(&mut self.solutions[0].1, entry);
        self
    }

    /// The package file's bytes.
    pub fn deployer_bytes(&self) -> Vec<u8> {
        let mut entries = self.deployer.clone();
        for (name, solution) in &self.solutions {
            entries.push((format!("{}{name}", self.folder), zip(solution)));
        }
        zip_with(&entries, self.method)
    }

    /// The outer zip's entries, the package file included.
    pub fn outer_entries(&self) -> Entries {
        let mut entries = self.outer.clone();
        entries.push((self.package_name.clone(), self.deployer_bytes()));
        entries
    }

    /// The package zip.
    pub fn bytes(&self) -> Vec<u8> {
        let entries = self.outer_entries();
        // The package file keeps its own method; the rest is deflated.
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, bytes) in &entries {
            let method = if *name == self.package_name {
                self.method
            } else {
                CompressionMethod::Deflated
            };
            let options = SimpleFileOptions::default().compression_method(method);
            writer.start_file(name.as_str(), options).unwrap();
            writer.write_all(bytes).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }
}

/// A solution zip's entries around its solution.xml.
pub fn solution_entries(solution_xml: &str) -> Entries {
    entries(&[
        ("solution.xml", solution_xml.as_bytes()),
        ("customizations.xml", CUSTOMIZATIONS_XML.as_bytes()),
        ("[Content_Types].xml", INNER_CONTENT_TYPES.as_bytes()),
    ])
}

fn edit(entries: &mut Entries, entry: &str, from: &str, to: &str) {
    let (_, bytes) = entries
        .iter_mut()
        .find(|(name, _)| name == entry)
        .unwrap_or_else(|| panic!("no entry {entry}"));
    let text = match bytes.as_slice() {
        [0xFF, 0xFE, rest @ ..] => {
            let units: Vec<u16> = rest
                .chunks(2)
                .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
                .collect();
            let text = String::from_utf16(&units).unwrap();
            assert!(text.contains(from), "{entry} has no `{from}`");
            *bytes = utf16(&text.replacen(from, to, 1));
            return;
        }
        _ => String::from_utf8(bytes.clone()).unwrap(),
    };
    assert!(text.contains(from), "{entry} has no `{from}`");
    *bytes = text.replacen(from, to, 1).into_bytes();
}

fn set(entries: &mut Entries, entry: &str, bytes: Vec<u8>) {
    match entries.iter_mut().find(|(name, _)| name == entry) {
        Some((_, old)) => *old = bytes,
        None => entries.push((entry.to_owned(), bytes)),
    }
}

fn remove(entries: &mut Entries, entry: &str) {
    let before = entries.len();
    entries.retain(|(name, _)| name != entry);
    assert!(entries.len() < before, "no entry {entry}");
}

/// The `[package]` table of a manifest naming this package and URL.
pub const SAS_URL: &str = "https://contosopkgs.blob.core.windows.net/appsource/Contoso_FieldInspections.zip?sv=2022-11-02&se=2035-03-01T00%3A00%3A00Z&sr=b&sp=r&spr=https&sig=s3cr3tS1gnature%2Bwith%2Fslashes%3D";

/// The signature of [`SAS_URL`], as it must never be printed.
pub const SIGNATURE: &str = "s3cr3tS1gnature";
