package io.iotgateway.mqtt.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.core.io.ClassPathResource;

/**
 * Builds the TLS socket factory for {@code ssl://} endpoints: PKIX validation against the shipped Alibaba roots
 * plus the certificates of an optional SSL bundle, nothing else (not the JVM's trust store). Paho adds SNI and,
 * with {@code httpsHostnameVerificationEnabled}, the host name check to each socket. A refused certificate is
 * logged with its reason, since the platform only sees a closed connection.
 */
public final class PlatformTlsSocketFactory {

    static final List<String> BUILTIN_ROOTS = List.of("certs/aliyun-iot-root-ca.pem", "certs/globalsign-root-ca-r1.pem");

    private static final Log log = LogFactory.getLog(PlatformTlsSocketFactory.class);

    private PlatformTlsSocketFactory() {
    }

    public static SSLSocketFactory create(boolean builtinRoots, @Nullable SslBundle bundle) {
        try {
            KeyStore trusted = trustedRoots(builtinRoots, bundle);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] { new LoggingTrustManager(pkix(factory)) }, null);
            return context.getSocketFactory();
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("Cannot set up TLS to the IoT Platform: " + ex.getMessage(), ex);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The shipped Alibaba roots (unless turned off) and the certificates of the bundle's trust store. */
    private static KeyStore trustedRoots(boolean builtinRoots, @Nullable SslBundle bundle)
            throws GeneralSecurityException, IOException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        if (builtinRoots) {
            for (String root : BUILTIN_ROOTS) {
                for (Certificate certificate : readPem(root)) {
                    trust(trusted, "builtin:" + root, certificate);
                }
            }
        }
        if (bundle != null && bundle.getStores().getTrustStore() != null) {
            KeyStore extra = bundle.getStores().getTrustStore();
            for (String alias : Collections.list(extra.aliases())) {
                if (extra.isCertificateEntry(alias)) {
                    trust(trusted, "bundle:" + alias, extra.getCertificate(alias));
                }
            }
        }
        if (trusted.size() == 0) {
            throw new IllegalStateException("No CA to verify the IoT Platform with: set "
                    + "gateway.platform.tls.builtin-roots=true or name an SSL bundle with a trust store in "
                    + "gateway.platform.tls.ssl-bundle.");
        }
        return trusted;
    }

    private static void trust(KeyStore store, String alias, Certificate certificate) throws GeneralSecurityException {
        store.setCertificateEntry(alias, certificate);
        if (certificate instanceof X509Certificate x509) {
            log.info("Trusting for the IoT Platform: " + x509.getSubjectX500Principal().getName() + " (valid until "
                    + x509.getNotAfter().toInstant() + ", " + alias + ")");
        }
    }

    private static List<Certificate> readPem(String resource) throws IOException, CertificateException {
        try (InputStream pem = new ClassPathResource(resource).getInputStream()) {
            return new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(pem));
        }
    }

    private static X509ExtendedTrustManager pkix(TrustManagerFactory factory) {
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager extended) {
                return extended;
            }
        }
        throw new IllegalStateException("The JDK offers no X509ExtendedTrustManager");
    }

    @FunctionalInterface
    private interface CertificateCheck {

        void run() throws CertificateException;

    }

    /** Delegates every check; logs why a server certificate was refused (untrusted issuer, host name, expiry). */
    private static final class LoggingTrustManager extends X509ExtendedTrustManager {

        private final X509ExtendedTrustManager delegate;

        LoggingTrustManager(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            logIfRefused(chain, () -> this.delegate.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            logIfRefused(chain, () -> this.delegate.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            logIfRefused(chain, () -> this.delegate.checkServerTrusted(chain, authType));
        }

        private static void logIfRefused(X509Certificate[] chain, CertificateCheck check) throws CertificateException {
            try {
                check.run();
            }
            catch (CertificateException ex) {
                String subject = (chain.length > 0) ? chain[0].getSubjectX500Principal().getName()
                        : "(no certificate)";
                log.warn("TLS to the IoT Platform refused: the server certificate " + subject + " is not trusted ("
                        + ex.getMessage() + "). Trusted are the built-in Alibaba roots and "
                        + "gateway.platform.tls.ssl-bundle.");
                throw ex;
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            this.delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            this.delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            this.delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return this.delegate.getAcceptedIssuers();
        }
    }
}
