<?xml version="1.0" encoding="utf-8"?>
<!-- SPDX-License-Identifier: GPL-3.0-or-later -->
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
    <context>
        <name>MainWindow</name>
        <message>
            <source>Tidewatch</source>
            <translation>Tidewatch</translation>
        </message>
        <message>
            <source>Overview</source>
            <translation>Vue d’ensemble</translation>
        </message>
        <message>
            <source>Processes</source>
            <translation>Processus</translation>
        </message>
        <message>
            <source>Filter by name…</source>
            <translation>Filtrer par nom…</translation>
        </message>
        <message>
            <source>The busiest processes by CPU and by memory, from the latest sample.</source>
            <translation>Les processus les plus gourmands en CPU et en mémoire, d’après le dernier relevé.</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>&amp;Fichier</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>&amp;Affichage</translation>
        </message>
        <message>
            <source>F&amp;eed</source>
            <translation>F&amp;lux</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>Aid&amp;e</translation>
        </message>
        <message>
            <source>Main Toolbar</source>
            <translation>Barre d’outils principale</translation>
        </message>
        <message>
            <source>Open &amp;Dashboard in Browser</source>
            <translation>Ouvrir le &amp;tableau de bord dans le navigateur</translation>
        </message>
        <message>
            <source>Open the live dashboard in the default web browser</source>
            <translation>Ouvrir le tableau de bord en direct dans le navigateur par défaut</translation>
        </message>
        <message>
            <source>Ctrl+D</source>
            <translation>Ctrl+D</translation>
        </message>
        <message>
            <source>&amp;Copy Feed URL</source>
            <translation>&amp;Copier l’URL du flux</translation>
        </message>
        <message>
            <source>Copy the feed's address to the clipboard</source>
            <translation>Copier l’adresse du flux dans le presse-papiers</translation>
        </message>
        <message>
            <source>Ctrl+Shift+C</source>
            <translation>Ctrl+Shift+C</translation>
        </message>
        <message>
            <source>Show &amp;QR Code…</source>
            <translation>Afficher le code &amp;QR…</translation>
        </message>
        <message>
            <source>Show the feed's address as a QR code for a phone</source>
            <translation>Afficher l’adresse du flux sous forme de code QR pour un téléphone</translation>
        </message>
        <message>
            <source>&amp;Pause</source>
            <translation>&amp;Pause</translation>
        </message>
        <message>
            <source>Freeze the charts; sampling and the feed go on</source>
            <translation>Figer les graphiques ; l’échantillonnage et le flux continuent</translation>
        </message>
        <message>
            <source>Space</source>
            <translation>Space</translation>
        </message>
        <message>
            <source>&amp;Settings…</source>
            <translation>&amp;Paramètres…</translation>
        </message>
        <message>
            <source>Feed, sampling, theme and language</source>
            <translation>Flux, échantillonnage, thème et langue</translation>
        </message>
        <message>
            <source>Ctrl+,</source>
            <translation>Ctrl+,</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>&amp;Quitter</translation>
        </message>
        <message>
            <source>Quit Tidewatch and stop the feed</source>
            <translation>Quitter Tidewatch et arrêter le flux</translation>
        </message>
        <message>
            <source>Ctrl+Q</source>
            <translation>Ctrl+Q</translation>
        </message>
        <message>
            <source>&amp;About Tidewatch</source>
            <translation>À &amp;propos de Tidewatch</translation>
        </message>
        <message>
            <source>&amp;Export Visible Range as CSV…</source>
            <translation>&amp;Exporter la plage visible en CSV…</translation>
        </message>
        <message>
            <source>Save what the charts show now as a CSV file</source>
            <translation>Enregistrer ce que montrent les graphiques dans un fichier CSV</translation>
        </message>
        <message>
            <source>Ctrl+E</source>
            <translation>Ctrl+E</translation>
        </message>
        <message>
            <source>&amp;Reset Zoom</source>
            <translation>&amp;Réinitialiser le zoom</translation>
        </message>
        <message>
            <source>Show the whole time window again (Esc, or double-click a chart)</source>
            <translation>Afficher de nouveau toute la fenêtre temporelle (Échap, ou double-clic sur un graphique)</translation>
        </message>
        <message>
            <source>Esc</source>
            <translation>Esc</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <source>Settings</source>
            <translation>Paramètres</translation>
        </message>
        <message>
            <source>Browser feed</source>
            <translation>Flux pour navigateurs</translation>
        </message>
        <message>
            <source>Serve the dashboard and the live feed to browsers</source>
            <translation>Servir le tableau de bord et le flux en direct aux navigateurs</translation>
        </message>
        <message>
            <source>&amp;Address:</source>
            <translation>&amp;Adresse :</translation>
        </message>
        <message>
            <source>127.0.0.1</source>
            <translation>127.0.0.1</translation>
        </message>
        <message>
            <source>127.0.0.1 keeps the feed on this computer; 0.0.0.0 opens it to the network.</source>
            <translation>127.0.0.1 garde le flux sur cet ordinateur ; 0.0.0.0 l’ouvre au réseau.</translation>
        </message>
        <message>
            <source>&amp;Port:</source>
            <translation>&amp;Port :</translation>
        </message>
        <message>
            <source>8765</source>
            <translation>8765</translation>
        </message>
        <message>
            <source>0 picks any free port.</source>
            <translation>0 choisit un port libre quelconque.</translation>
        </message>
        <message>
            <source>Sampling</source>
            <translation>Échantillonnage</translation>
        </message>
        <message>
            <source>Sample &amp;every:</source>
            <translation>Échantillonner &amp;toutes les :</translation>
        </message>
        <message>
            <source> ms</source>
            <translation> ms</translation>
        </message>
        <message>
            <source>Appearance</source>
            <translation>Apparence</translation>
        </message>
        <message>
            <source>&amp;Theme:</source>
            <translation>&amp;Thème :</translation>
        </message>
        <message>
            <source>&amp;Language:</source>
            <translation>&amp;Langue :</translation>
        </message>
        <message>
            <source>A new language applies the next time Tidewatch starts.</source>
            <translation>Une nouvelle langue s’applique au prochain démarrage de Tidewatch.</translation>
        </message>
        <message>
            <source>Window</source>
            <translation>Fenêtre</translation>
        </message>
        <message>
            <source>Start &amp;minimized</source>
            <translation>Démarrer &amp;réduit</translation>
        </message>
        <message>
            <source>&amp;Closing the window keeps Tidewatch running in the system tray</source>
            <translation>&amp;Fermer la fenêtre laisse Tidewatch actif dans la zone de notification</translation>
        </message>
        <message>
            <source>Ask for the access token on this computer too</source>
            <translation>Demander le jeton d’accès sur cet ordinateur aussi</translation>
        </message>
        <message>
            <source>For a computer that others use too: browsers here must sign in as well.</source>
            <translation>Pour un ordinateur partagé : les navigateurs locaux doivent aussi se connecter.</translation>
        </message>
        <message>
            <source>Access to&amp;ken:</source>
            <translation>&amp;Jeton d’accès :</translation>
        </message>
        <message>
            <source>Show</source>
            <translation>Afficher</translation>
        </message>
        <message>
            <source>Copy</source>
            <translation>Copier</translation>
        </message>
        <message>
            <source>Copy the token to the clipboard</source>
            <translation>Copier le jeton dans le presse-papiers</translation>
        </message>
        <message>
            <source>Regenerate…</source>
            <translation>Régénérer…</translation>
        </message>
        <message>
            <source>Other devices sign in with this token, or simply by scanning the QR code.</source>
            <translation>Les autres appareils se connectent avec ce jeton, ou simplement en scannant le code QR.</translation>
        </message>
    </context>
    <context>
        <name>main</name>
        <message>
            <source>Tidewatch: a live view of this machine, and the same samples served to browsers on one port.</source>
            <translation>Tidewatch : une vue en direct de cette machine, et les mêmes relevés servis aux navigateurs sur un seul port.</translation>
        </message>
        <message>
            <source>Do not serve the feed.</source>
            <translation>Ne pas servir le flux.</translation>
        </message>
        <message>
            <source>Use the language &lt;code&gt; (en, de, fr, es, zh_CN).</source>
            <translation>Utiliser la langue &lt;code&gt; (en, de, fr, es, zh_CN).</translation>
        </message>
        <message>
            <source>code</source>
            <translation>code</translation>
        </message>
        <message>
            <source>Start minimized (to the tray if any).</source>
            <translation>Démarrer réduit (dans la zone de notification s’il y en a une).</translation>
        </message>
        <message>
            <source>Render the main window to the PNG &lt;file&gt; and exit.</source>
            <translation>Rendre la fenêtre principale dans le PNG &lt;file&gt; et quitter.</translation>
        </message>
        <message>
            <source>file</source>
            <translation>fichier</translation>
        </message>
        <message>
            <source>With --screenshot: wait &lt;ms&gt; after the first paint (default 1500).</source>
            <translation>Avec --screenshot : attendre &lt;ms&gt; après le premier affichage (1500 par défaut).</translation>
        </message>
        <message>
            <source>ms</source>
            <translation>ms</translation>
        </message>
    </context>
    <context>
        <name>tidewatch::CoreGrid</name>
        <message>
            <source>CPU %1</source>
            <translation>CPU %1</translation>
        </message>
    </context>
    <context>
        <name>tidewatch::FilesystemBars</name>
        <message>
            <source>%1 of %2</source>
            <translation>%1 sur %2</translation>
        </message>
        <message>
            <source>No filesystems</source>
            <translation>Aucun système de fichiers</translation>
        </message>
    </context>
    <context>
        <name>tidewatch::MainWindow</name>
        <message numerus="yes">
            <source>%n s</source>
            <translation><numerusform>%n s</numerusform><numerusform>%n s</numerusform></translation>
        </message>
        <message>
            <source>%1 ms</source>
            <translation>%1 ms</translation>
        </message>
        <message>
            <source>Tidewatch — %1</source>
            <translation>Tidewatch — %1</translation>
        </message>
        <message>
            <source>Time window:</source>
            <translation>Fenêtre temporelle :</translation>
        </message>
        <message>
            <source>1 minute</source>
            <translation>1 minute</translation>
        </message>
        <message>
            <source>5 minutes</source>
            <translation>5 minutes</translation>
        </message>
        <message>
            <source>15 minutes</source>
            <translation>15 minutes</translation>
        </message>
        <message>
            <source>1 hour</source>
            <translation>1 heure</translation>
        </message>
        <message>
            <source>Show/Hide Tidewatch</source>
            <translation>Afficher/masquer Tidewatch</translation>
        </message>
        <message>
            <source>&amp;Resume</source>
            <translation>&amp;Reprendre</translation>
        </message>
        <message>
            <source>&amp;Pause</source>
            <translation>&amp;Pause</translation>
        </message>
        <message>
            <source>Paused: the charts are frozen; sampling and the feed go on.</source>
            <translation>En pause : les graphiques sont figés ; l’échantillonnage et le flux continuent.</translation>
        </message>
        <message>
            <source>Feed: %1</source>
            <translation>Flux : %1</translation>
        </message>
        <message>
            <source>Open this address in any browser to see the live dashboard.</source>
            <translation>Ouvrez cette adresse dans n’importe quel navigateur pour voir le tableau de bord en direct.</translation>
        </message>
        <message>
            <source>Feed not running: %1</source>
            <translation>Flux arrêté : %1</translation>
        </message>
        <message>
            <source>Feed off</source>
            <translation>Flux désactivé</translation>
        </message>
        <message numerus="yes">
            <source>%n browser(s) connected</source>
            <translation><numerusform>%n navigateur connecté</numerusform><numerusform>%n navigateurs connectés</numerusform></translation>
        </message>
        <message>
            <source>Sampling every %1</source>
            <translation>Échantillonnage toutes les %1</translation>
        </message>
        <message>
            <source>The feed cannot listen on %1 port %2: %3. It keeps running at %4.</source>
            <translation>Le flux ne peut pas écouter sur %1 port %2 : %3. Il continue sur %4.</translation>
        </message>
        <message>
            <source>The feed cannot listen on %1 port %2: %3.</source>
            <translation>Le flux ne peut pas écouter sur %1 port %2 : %3.</translation>
        </message>
        <message>
            <source>Copied %1 to the clipboard</source>
            <translation>%1 copié dans le presse-papiers</translation>
        </message>
        <message>
            <source>About Tidewatch</source>
            <translation>À propos de Tidewatch</translation>
        </message>
        <message>
            <source>&lt;h3&gt;Tidewatch %1&lt;/h3&gt;&lt;p&gt;A system monitor you can both see and share: one sampler drives this window and every browser that opens the feed.&lt;/p&gt;&lt;p&gt;License: GPL-3.0-or-later&lt;/p&gt;</source>
            <translation>&lt;h3&gt;Tidewatch %1&lt;/h3&gt;&lt;p&gt;Un moniteur système que l’on peut à la fois voir et partager : un seul échantillonneur alimente cette fenêtre et chaque navigateur qui ouvre le flux.&lt;/p&gt;&lt;p&gt;Licence : GPL-3.0-or-later&lt;/p&gt;</translation>
        </message>
        <message>
            <source>6 hours</source>
            <translation>6 heures</translation>
        </message>
        <message>
            <source>24 hours</source>
            <translation>24 heures</translation>
        </message>
        <message>
            <source>7 days</source>
            <translation>7 jours</translation>
        </message>
        <message>
            <source>30 days</source>
            <translation>30 jours</translation>
        </message>
        <message>
            <source>Up to 1 hour from memory; longer windows from the history store. Drag across a chart to zoom in.</source>
            <translation>Jusqu’à 1 heure depuis la mémoire ; les fenêtres plus longues viennent de l’historique. Faites glisser sur un graphique pour zoomer.</translation>
        </message>
        <message>
            <source>The history store failed: %1</source>
            <translation>L’historique a échoué : %1</translation>
        </message>
        <message>
            <source>History is off, so only the last hour (kept in memory) can be shown. Start Tidewatch without --no-history to keep history.</source>
            <translation>L’historique est désactivé : seule la dernière heure (gardée en mémoire) peut être affichée. Lancez Tidewatch sans --no-history pour conserver l’historique.</translation>
        </message>
        <message>
            <source>From the history store</source>
            <translation>Depuis l’historique</translation>
        </message>
        <message>
            <source>History off</source>
            <translation>Historique désactivé</translation>
        </message>
        <message>
            <source>No history is kept: windows longer than an hour are not available.</source>
            <translation>Aucun historique n’est conservé : les fenêtres de plus d’une heure ne sont pas disponibles.</translation>
        </message>
        <message>
            <source>History</source>
            <translation>Historique</translation>
        </message>
        <message>
            <source>History: %1</source>
            <translation>Historique : %1</translation>
        </message>
        <message>
            <source>History kept in %1</source>
            <translation>Historique conservé dans %1</translation>
        </message>
        <message>
            <source>%1 points written, %2 waiting</source>
            <translation>%1 points écrits, %2 en attente</translation>
        </message>
        <message>
            <source>History degraded</source>
            <translation>Historique dégradé</translation>
        </message>
        <message>
            <source>%1 blocks spooled, %2 points dropped</source>
            <translation>%1 blocs en file d’attente, %2 points perdus</translation>
        </message>
        <message>
            <source>History failed</source>
            <translation>Échec de l’historique</translation>
        </message>
        <message>
            <source>Zoomed in: live drawing stops until you reset the zoom (Esc, or double-click a chart).</source>
            <translation>Zoom actif : le tracé en direct s’arrête jusqu’à la réinitialisation du zoom (Échap, ou double-clic sur un graphique).</translation>
        </message>
        <message>
            <source>Export Visible Range as CSV</source>
            <translation>Exporter la plage visible en CSV</translation>
        </message>
        <message>
            <source>CSV files (*.csv)</source>
            <translation>Fichiers CSV (*.csv)</translation>
        </message>
        <message>
            <source>Export failed</source>
            <translation>Échec de l’export</translation>
        </message>
        <message numerus="yes">
            <source>Exported %n row(s) to %1</source>
            <translation><numerusform>%n ligne exportée vers %1</numerusform><numerusform>%n lignes exportées vers %1</numerusform></translation>
        </message>
        <message>
            <source>Copied a login link for %1: it works once, within 5 minutes</source>
            <translation>Lien de connexion pour %1 copié : utilisable une seule fois, dans les 5 minutes</translation>
        </message>
    </context>
    <context>
        <name>tidewatch::OverviewPage</name>
        <message>
            <source>CPU</source>
            <translation>CPU</translation>
        </message>
        <message>
            <source>Memory</source>
            <translation>Mémoire</translation>
        </message>
        <message>
            <source>Load average</source>
            <translation>Charge moyenne</translation>
        </message>
        <message>
            <source>Network</source>
            <translation>Réseau</translation>
        </message>
        <message>
            <source>Disks</source>
            <translation>Disques</translation>
        </message>
        <message>
            <source>Temperatures</source>
            <translation>Températures</translation>
        </message>
        <message>
            <source>All interfaces</source>
            <translation>Toutes les interfaces</translation>
        </message>
        <message>
            <source>All disks</source>
            <translation>Tous les disques</translation>
        </message>
        <message>
            <source>Filesystems</source>
            <translation>Systèmes de fichiers</translation>
        </message>
        <message>
            <source>System</source>
            <translation>Système</translation>
        </message>
        <message>
            <source>CPU time Tidewatch spent reading the system for the last sample</source>
            <translation>Temps CPU passé par Tidewatch à lire le système pour le dernier relevé</translation>
        </message>
        <message>
            <source>Up for</source>
            <translation>Actif depuis</translation>
        </message>
        <message>
            <source>Processes</source>
            <translation>Processus</translation>
        </message>
        <message>
            <source>Threads</source>
            <translation>Threads</translation>
        </message>
        <message>
            <source>Context switches</source>
            <translation>Changements de contexte</translation>
        </message>
        <message>
            <source>Sampling cost</source>
            <translation>Coût d’échantillonnage</translation>
        </message>
        <message>
            <source>Total</source>
            <translation>Total</translation>
        </message>
        <message>
            <source>I/O wait</source>
            <translation>Attente E/S</translation>
        </message>
        <message>
            <source>Swap</source>
            <translation>Swap</translation>
        </message>
        <message>
            <source>1 min</source>
            <translation>1 min</translation>
        </message>
        <message>
            <source>5 min</source>
            <translation>5 min</translation>
        </message>
        <message>
            <source>15 min</source>
            <translation>15 min</translation>
        </message>
        <message>
            <source>Received</source>
            <translation>Reçu</translation>
        </message>
        <message>
            <source>Sent</source>
            <translation>Envoyé</translation>
        </message>
        <message>
            <source>Read</source>
            <translation>Lu</translation>
        </message>
        <message>
            <source>Written</source>
            <translation>Écrit</translation>
        </message>
        <message>
            <source>%1 of %2</source>
            <translation>%1 sur %2</translation>
        </message>
        <message numerus="yes">
            <source>%1 on %n CPU(s)</source>
            <translation><numerusform>%1 sur %n CPU</numerusform><numerusform>%1 sur %n CPU</numerusform></translation>
        </message>
        <message>
            <source>R %1&amp;nbsp;&amp;nbsp;W %2</source>
            <translation>L %1&amp;nbsp;&amp;nbsp;É %2</translation>
        </message>
        <message>
            <source>%1 d %2 h</source>
            <translation>%1 j %2 h</translation>
        </message>
        <message>
            <source>%1 h %2 min</source>
            <translation>%1 h %2 min</translation>
        </message>
        <message>
            <source>%1 ms CPU</source>
            <translation>%1 ms CPU</translation>
        </message>
        <message>
            <source>max %1</source>
            <translation>max %1</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>Chargement…</translation>
        </message>
        <message>
            <source>History unavailable: %1</source>
            <translation>Historique indisponible : %1</translation>
        </message>
        <message>
            <source>No data in this range</source>
            <translation>Aucune donnée sur cette plage</translation>
        </message>
    </context>
    <context>
        <name>tidewatch::ProcessTableModel</name>
        <message>
            <source>PID</source>
            <translation>PID</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Nom</translation>
        </message>
        <message>
            <source>CPU</source>
            <translation>CPU</translation>
        </message>
        <message>
            <source>Memory</source>
            <translation>Mémoire</translation>
        </message>
    </context>
    <context>
        <name>tidewatch::QrCodeDialog</name>
        <message>
            <source>Feed QR code</source>
            <translation>Code QR du flux</translation>
        </message>
        <message>
            <source>This address is only reachable from this computer. To open the dashboard on a phone, set the bind address to this computer's network address in Settings.</source>
            <translation>Cette adresse n’est accessible que depuis cet ordinateur. Pour ouvrir le tableau de bord sur un téléphone, indiquez dans les paramètres l’adresse réseau de cet ordinateur comme adresse d’écoute.</translation>
        </message>
        <message>
            <source>This link signs one browser in: it works once, within 5 minutes. For another device, make a new link.</source>
            <translation>Ce lien connecte un seul navigateur : utilisable une fois, dans les 5 minutes. Pour un autre appareil, créez un nouveau lien.</translation>
        </message>
        <message>
            <source>New link</source>
            <translation>Nouveau lien</translation>
        </message>
    </context>
    <context>
        <name>tidewatch::SettingsDialog</name>
        <message>
            <source>Follow the system</source>
            <translation>Suivre le système</translation>
        </message>
        <message>
            <source>Light</source>
            <translation>Clair</translation>
        </message>
        <message>
            <source>Dark</source>
            <translation>Sombre</translation>
        </message>
        <message>
            <source>System language</source>
            <translation>Langue du système</translation>
        </message>
        <message>
            <source>"%1" is not an IP address. Use 127.0.0.1 for this computer only, or 0.0.0.0 for every network.</source>
            <translation>« %1 » n’est pas une adresse IP. Utilisez 127.0.0.1 pour cet ordinateur seulement, ou 0.0.0.0 pour tous les réseaux.</translation>
        </message>
        <message>
            <source>"%1" is not a valid port. Enter a whole number from 1 to 65535 (or 0 for any free port).</source>
            <translation>« %1 » n’est pas un port valide. Saisissez un nombre entier de 1 à 65535 (ou 0 pour un port libre quelconque).</translation>
        </message>
        <message>
            <source>Show</source>
            <translation>Afficher</translation>
        </message>
        <message>
            <source>Hide</source>
            <translation>Masquer</translation>
        </message>
        <message>
            <source>Regenerate the access token?</source>
            <translation>Régénérer le jeton d’accès ?</translation>
        </message>
        <message>
            <source>Browsers signed in with the current token must sign in again, with the new token or a new QR code.</source>
            <translation>Les navigateurs connectés avec le jeton actuel devront se reconnecter, avec le nouveau jeton ou un nouveau code QR.</translation>
        </message>
        <message>
            <source>Regenerate</source>
            <translation>Régénérer</translation>
        </message>
    </context>
    <context>
        <name>tidewatch::TimeTable</name>
        <message>
            <source>Cannot write %1: %2</source>
            <translation>Impossible d’écrire %1 : %2</translation>
        </message>
    </context>
    <context>
        <name>tidewatch::TrayIcon</name>
        <message>
            <source>Tidewatch</source>
            <translation>Tidewatch</translation>
        </message>
        <message>
            <source>Tidewatch — CPU %1, memory %2</source>
            <translation>Tidewatch — CPU %1, mémoire %2</translation>
        </message>
    </context>
</TS>
