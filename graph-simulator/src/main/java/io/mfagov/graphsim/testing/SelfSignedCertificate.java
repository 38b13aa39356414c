package io.mfagov.graphsim.testing;

import io.mfagov.graphsim.model.AppRegistration;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * Test tooling: a self-signed RSA-2048 certificate and its private key, as an MSP would create for an app registration's
 * certificate credential — the public certificate goes to the simulator ({@code AppRegistration.Builder.certificate},
 * {@code SimulatorAdmin.addCertificate}), the key + certificate PEM (or a PFX) to the client (azure-identity's
 * {@code ClientCertificateCredentialBuilder.pemCertificate(path)} / {@code pfxCertificate(path).clientCertificatePassword(pw)}).
 * SIMULATOR-ONLY material.
 */
public final class SelfSignedCertificate {
    private final X509Certificate certificate;
    private final PrivateKey privateKey;

    private SelfSignedCertificate(X509Certificate certificate, PrivateKey privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    /** CN=mfagov-test-app, valid from a day ago for a year. */
    public static SelfSignedCertificate create() {
        return create("CN=mfagov-test-app", Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(366));
    }

    public static SelfSignedCertificate create(String subject) {
        return create(subject, Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(366));
    }

    /** A certificate valid from {@code notBefore} for {@code validity} (e.g. an already expired one). */
    public static SelfSignedCertificate create(String subject, Instant notBefore, Duration validity) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KeyPair kp = g.generateKeyPair();
            X500Name name = new X500Name(subject);
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                    Date.from(notBefore), Date.from(notBefore.plus(validity)), name, kp.getPublic());
            X509CertificateHolder holder = b.build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate()));
            return new SelfSignedCertificate(new JcaX509CertificateConverter().getCertificate(holder), kp.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException("cannot create a self-signed certificate", e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** {@code -----BEGIN CERTIFICATE-----} … (public part only: what is uploaded to the app registration). */
    public String certificatePem() {
        try {
            return pem("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code -----BEGIN PRIVATE KEY-----} … (PKCS#8, unencrypted). */
    public String privateKeyPem() {
        return pem("PRIVATE KEY", privateKey.getEncoded());
    }

    /** Key then certificate in one PEM file (what azure-identity's {@code pemCertificate(path)} reads); returns the file. */
    public Path writePem(Path file) {
        return write(file, (privateKeyPem() + certificatePem()).getBytes(StandardCharsets.US_ASCII));
    }

    /** A PKCS#12 (PFX) file with key and certificate under {@code password}; returns the file. */
    public Path writePfx(Path file, String password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("mfagov-test-app", privateKey, password.toCharArray(), new Certificate[] {certificate});
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            ks.store(out, password.toCharArray());
            return write(file, out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the PFX", e);
        }
    }

    /** SHA-1 thumbprint, upper-case hex (as the Azure portal shows it). */
    public String thumbprint() {
        return AppRegistration.Certificate.of(certificate).sha1Hex();
    }

    /** base64url(SHA-1(DER)): a client assertion's {@code x5t} header. */
    public String x5t() {
        return AppRegistration.Certificate.of(certificate).x5t();
    }

    /** base64url(SHA-256(DER)): a client assertion's {@code x5t#S256} header. */
    public String x5tS256() {
        return AppRegistration.Certificate.of(certificate).x5tS256();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Writes atomically (temp file + move), so a client watching the file never reads half of it. */
    static Path write(Path file, byte[] bytes) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".tmp-", ".part");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(bytes);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "SelfSignedCertificate[" + certificate.getSubjectX500Principal() + ", thumbprint " + thumbprint() + "]";
    }
}
