<?xml version="1.0" encoding="utf-8"?>
<!-- SPDX-License-Identifier: GPL-3.0-or-later -->
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
    <context>
        <name>MainWindow</name>
        <message>
            <source>Tidewatch</source>
            <translation>Tidewatch</translation>
        </message>
        <message>
            <source>Overview</source>
            <translation>Resumen</translation>
        </message>
        <message>
            <source>Processes</source>
            <translation>Procesos</translation>
        </message>
        <message>
            <source>Filter by name…</source>
            <translation>Filtrar por nombre…</translation>
        </message>
        <message>
            <source>The busiest processes by CPU and by memory, from the latest sample.</source>
            <translation>Los procesos que más CPU y memoria consumen, según la última muestra.</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>&amp;Archivo</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>&amp;Ver</translation>
        </message>
        <message>
            <source>F&amp;eed</source>
            <translation>&amp;Fuente</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>A&amp;yuda</translation>
        </message>
        <message>
            <source>Main Toolbar</source>
            <translation>Barra de herramientas principal</translation>
        </message>
        <message>
            <source>Open &amp;Dashboard in Browser</source>
            <translation>Abrir el &amp;panel en el navegador</translation>
        </message>
        <message>
            <source>Open the live dashboard in the default web browser</source>
            <translation>Abrir el panel en directo en el navegador predeterminado</translation>
        </message>
        <message>
            <source>Ctrl+D</source>
            <translation>Ctrl+D</translation>
        </message>
        <message>
            <source>&amp;Copy Feed URL</source>
            <translation>&amp;Copiar la URL de la fuente</translation>
        </message>
        <message>
            <source>Copy the feed's address to the clipboard</source>
            <translation>Copiar la dirección de la fuente al portapapeles</translation>
        </message>
        <message>
            <source>Ctrl+Shift+C</source>
            <translation>Ctrl+Shift+C</translation>
        </message>
        <message>
            <source>Show &amp;QR Code…</source>
            <translation>Mostrar el código &amp;QR…</translation>
        </message>
        <message>
            <source>Show the feed's address as a QR code for a phone</source>
            <translation>Mostrar la dirección de la fuente como código QR para un móvil</translation>
        </message>
        <message>
            <source>&amp;Pause</source>
            <translation>&amp;Pausa</translation>
        </message>
        <message>
            <source>Freeze the charts; sampling and the feed go on</source>
            <translation>Congelar los gráficos; el muestreo y la fuente continúan</translation>
        </message>
        <message>
            <source>Space</source>
            <translation>Space</translation>
        </message>
        <message>
            <source>&amp;Settings…</source>
            <translation>&amp;Configuración…</translation>
        </message>
        <message>
            <source>Feed, sampling, theme and language</source>
            <translation>Fuente, muestreo, tema e idioma</translation>
        </message>
        <message>
            <source>Ctrl+,</source>
            <translation>Ctrl+,</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>&amp;Salir</translation>
        </message>
        <message>
            <source>Quit Tidewatch and stop the feed</source>
            <translation>Salir de Tidewatch y detener la fuente</translation>
        </message>
        <message>
            <source>Ctrl+Q</source>
            <translation>Ctrl+Q</translation>
        </message>
        <message>
            <source>&amp;About Tidewatch</source>
            <translation>&amp;Acerca de Tidewatch</translation>
        </message>
        <message>
            <source>&amp;Export Visible Range as CSV…</source>
            <translation>&amp;Exportar el intervalo visible como CSV…</translation>
        </message>
        <message>
            <source>Save what the charts show now as a CSV file</source>
            <translation>Guardar lo que muestran ahora los gráficos en un archivo CSV</translation>
        </message>
        <message>
            <source>Ctrl+E</source>
            <translation>Ctrl+E</translation>
        </message>
        <message>
            <source>&amp;Reset Zoom</source>
            <translation>&amp;Restablecer el zoom</translation>
        </message>
        <message>
            <source>Show the whole time window again (Esc, or double-click a chart)</source>
            <translation>Volver a mostrar toda la ventana de tiempo (Esc, o doble clic en un gráfico)</translation>
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
            <translation>Configuración</translation>
        </message>
        <message>
            <source>Browser feed</source>
            <translation>Fuente para navegadores</translation>
        </message>
        <message>
            <source>Serve the dashboard and the live feed to browsers</source>
            <translation>Servir el panel y la fuente en directo a los navegadores</translation>
        </message>
        <message>
            <source>&amp;Address:</source>
            <translation>&amp;Dirección:</translation>
        </message>
        <message>
            <source>127.0.0.1</source>
            <translation>127.0.0.1</translation>
        </message>
        <message>
            <source>127.0.0.1 keeps the feed on this computer; 0.0.0.0 opens it to the network.</source>
            <translation>127.0.0.1 mantiene la fuente en este equipo; 0.0.0.0 la abre a la red.</translation>
        </message>
        <message>
            <source>&amp;Port:</source>
            <translation>&amp;Puerto:</translation>
        </message>
        <message>
            <source>8765</source>
            <translation>8765</translation>
        </message>
        <message>
            <source>0 picks any free port.</source>
            <translation>0 elige cualquier puerto libre.</translation>
        </message>
        <message>
            <source>Sampling</source>
            <translation>Muestreo</translation>
        </message>
        <message>
            <source>Sample &amp;every:</source>
            <translation>Muestrear &amp;cada:</translation>
        </message>
        <message>
            <source> ms</source>
            <translation> ms</translation>
        </message>
        <message>
            <source>Appearance</source>
            <translation>Apariencia</translation>
        </message>
        <message>
            <source>&amp;Theme:</source>
            <translation>&amp;Tema:</translation>
        </message>
        <message>
            <source>&amp;Language:</source>
            <translation>&amp;Idioma:</translation>
        </message>
        <message>
            <source>A new language applies the next time Tidewatch starts.</source>
            <translation>El nuevo idioma se aplicará la próxima vez que se inicie Tidewatch.</translation>
        </message>
        <message>
            <source>Window</source>
            <translation>Ventana</translation>
        </message>
        <message>
            <source>Start &amp;minimized</source>
            <translation>Iniciar &amp;minimizado</translation>
        </message>
        <message>
            <source>&amp;Closing the window keeps Tidewatch running in the system tray</source>
            <translation>&amp;Cerrar la ventana mantiene Tidewatch en la bandeja del sistema</translation>
        </message>
        <message>
            <source>Ask for the access token on this computer too</source>
            <translation>Pedir el token de acceso también en este equipo</translation>
        </message>
        <message>
            <source>For a computer that others use too: browsers here must sign in as well.</source>
            <translation>Para un equipo compartido: los navegadores de este equipo también deben iniciar sesión.</translation>
        </message>
        <message>
            <source>Access to&amp;ken:</source>
            <translation>&amp;Token de acceso:</translation>
        </message>
        <message>
            <source>Show</source>
            <translation>Mostrar</translation>
        </message>
        <message>
            <source>Copy</source>
            <translation>Copiar</translation>
        </message>
        <message>
            <source>Copy the token to the clipboard</source>
            <translation>Copiar el token al portapapeles</translation>
        </message>
        <message>
            <source>Regenerate…</source>
            <translation>Regenerar…</translation>
        </message>
        <message>
            <source>Other devices sign in with this token, or simply by scanning the QR code.</source>
            <translation>Los demás dispositivos inician sesión con este token o simplemente escaneando el código QR.</translation>
        </message>
    </context>
    <context>
        <name>main</name>
        <message>
            <source>Tidewatch: a live view of this machine, and the same samples served to browsers on one port.</source>
            <translation>Tidewatch: una vista en directo de este equipo, y las mismas muestras servidas a los navegadores en un solo puerto.</translation>
        </message>
        <message>
            <source>Do not serve the feed.</source>
            <translation>No servir la fuente.</translation>
        </message>
        <message>
            <source>Use the language &lt;code&gt; (en, de, fr, es, zh_CN).</source>
            <translation>Usar el idioma &lt;code&gt; (en, de, fr, es, zh_CN).</translation>
        </message>
        <message>
            <source>code</source>
            <translation>código</translation>
        </message>
        <message>
            <source>Start minimized (to the tray if any).</source>
            <translation>Iniciar minimizado (en la bandeja del sistema, si existe).</translation>
        </message>
        <message>
            <source>Render the main window to the PNG &lt;file&gt; and exit.</source>
            <translation>Representar la ventana principal en el PNG &lt;file&gt; y salir.</translation>
        </message>
        <message>
            <source>file</source>
            <translation>archivo</translation>
        </message>
        <message>
            <source>With --screenshot: wait &lt;ms&gt; after the first paint (default 1500).</source>
            <translation>Con --screenshot: esperar &lt;ms&gt; tras el primer pintado (1500 por defecto).</translation>
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
            <translation>%1 de %2</translation>
        </message>
        <message>
            <source>No filesystems</source>
            <translation>Ningún sistema de archivos</translation>
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
            <translation>Ventana de tiempo:</translation>
        </message>
        <message>
            <source>1 minute</source>
            <translation>1 minuto</translation>
        </message>
        <message>
            <source>5 minutes</source>
            <translation>5 minutos</translation>
        </message>
        <message>
            <source>15 minutes</source>
            <translation>15 minutos</translation>
        </message>
        <message>
            <source>1 hour</source>
            <translation>1 hora</translation>
        </message>
        <message>
            <source>Show/Hide Tidewatch</source>
            <translation>Mostrar/ocultar Tidewatch</translation>
        </message>
        <message>
            <source>&amp;Resume</source>
            <translation>&amp;Reanudar</translation>
        </message>
        <message>
            <source>&amp;Pause</source>
            <translation>&amp;Pausa</translation>
        </message>
        <message>
            <source>Paused: the charts are frozen; sampling and the feed go on.</source>
            <translation>En pausa: los gráficos están congelados; el muestreo y la fuente continúan.</translation>
        </message>
        <message>
            <source>Feed: %1</source>
            <translation>Fuente: %1</translation>
        </message>
        <message>
            <source>Open this address in any browser to see the live dashboard.</source>
            <translation>Abra esta dirección en cualquier navegador para ver el panel en directo.</translation>
        </message>
        <message>
            <source>Feed not running: %1</source>
            <translation>Fuente detenida: %1</translation>
        </message>
        <message>
            <source>Feed off</source>
            <translation>Fuente desactivada</translation>
        </message>
        <message numerus="yes">
            <source>%n browser(s) connected</source>
            <translation><numerusform>%n navegador conectado</numerusform><numerusform>%n navegadores conectados</numerusform></translation>
        </message>
        <message>
            <source>Sampling every %1</source>
            <translation>Muestreo cada %1</translation>
        </message>
        <message>
            <source>The feed cannot listen on %1 port %2: %3. It keeps running at %4.</source>
            <translation>La fuente no puede escuchar en %1, puerto %2: %3. Sigue funcionando en %4.</translation>
        </message>
        <message>
            <source>The feed cannot listen on %1 port %2: %3.</source>
            <translation>La fuente no puede escuchar en %1, puerto %2: %3.</translation>
        </message>
        <message>
            <source>Copied %1 to the clipboard</source>
            <translation>%1 copiado al portapapeles</translation>
        </message>
        <message>
            <source>About Tidewatch</source>
            <translation>Acerca de Tidewatch</translation>
        </message>
        <message>
            <source>&lt;h3&gt;Tidewatch %1&lt;/h3&gt;&lt;p&gt;A system monitor you can both see and share: one sampler drives this window and every browser that opens the feed.&lt;/p&gt;&lt;p&gt;License: GPL-3.0-or-later&lt;/p&gt;</source>
            <translation>&lt;h3&gt;Tidewatch %1&lt;/h3&gt;&lt;p&gt;Un monitor del sistema que puede ver y compartir a la vez: un único muestreador alimenta esta ventana y cada navegador que abre la fuente.&lt;/p&gt;&lt;p&gt;Licencia: GPL-3.0-or-later&lt;/p&gt;</translation>
        </message>
        <message>
            <source>6 hours</source>
            <translation>6 horas</translation>
        </message>
        <message>
            <source>24 hours</source>
            <translation>24 horas</translation>
        </message>
        <message>
            <source>7 days</source>
            <translation>7 días</translation>
        </message>
        <message>
            <source>30 days</source>
            <translation>30 días</translation>
        </message>
        <message>
            <source>Up to 1 hour from memory; longer windows from the history store. Drag across a chart to zoom in.</source>
            <translation>Hasta 1 hora desde la memoria; las ventanas más largas, del almacén de historial. Arrastre sobre un gráfico para ampliar.</translation>
        </message>
        <message>
            <source>The history store failed: %1</source>
            <translation>El almacén de historial falló: %1</translation>
        </message>
        <message>
            <source>History is off, so only the last hour (kept in memory) can be shown. Start Tidewatch without --no-history to keep history.</source>
            <translation>El historial está desactivado, así que solo se puede mostrar la última hora (guardada en memoria). Inicie Tidewatch sin --no-history para conservar el historial.</translation>
        </message>
        <message>
            <source>From the history store</source>
            <translation>Desde el almacén de historial</translation>
        </message>
        <message>
            <source>History off</source>
            <translation>Historial desactivado</translation>
        </message>
        <message>
            <source>No history is kept: windows longer than an hour are not available.</source>
            <translation>No se conserva historial: las ventanas de más de una hora no están disponibles.</translation>
        </message>
        <message>
            <source>History</source>
            <translation>Historial</translation>
        </message>
        <message>
            <source>History: %1</source>
            <translation>Historial: %1</translation>
        </message>
        <message>
            <source>History kept in %1</source>
            <translation>Historial guardado en %1</translation>
        </message>
        <message>
            <source>%1 points written, %2 waiting</source>
            <translation>%1 puntos escritos, %2 en espera</translation>
        </message>
        <message>
            <source>History degraded</source>
            <translation>Historial degradado</translation>
        </message>
        <message>
            <source>%1 blocks spooled, %2 points dropped</source>
            <translation>%1 bloques en cola, %2 puntos descartados</translation>
        </message>
        <message>
            <source>History failed</source>
            <translation>Fallo del historial</translation>
        </message>
        <message>
            <source>Zoomed in: live drawing stops until you reset the zoom (Esc, or double-click a chart).</source>
            <translation>Zoom activo: el dibujo en directo se detiene hasta que restablezca el zoom (Esc, o doble clic en un gráfico).</translation>
        </message>
        <message>
            <source>Export Visible Range as CSV</source>
            <translation>Exportar el intervalo visible como CSV</translation>
        </message>
        <message>
            <source>CSV files (*.csv)</source>
            <translation>Archivos CSV (*.csv)</translation>
        </message>
        <message>
            <source>Export failed</source>
            <translation>Error al exportar</translation>
        </message>
        <message numerus="yes">
            <source>Exported %n row(s) to %1</source>
            <translation><numerusform>%n fila exportada a %1</numerusform><numerusform>%n filas exportadas a %1</numerusform></translation>
        </message>
        <message>
            <source>Copied a login link for %1: it works once, within 5 minutes</source>
            <translation>Enlace de inicio de sesión para %1 copiado: sirve una sola vez, en los próximos 5 minutos</translation>
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
            <translation>Memoria</translation>
        </message>
        <message>
            <source>Load average</source>
            <translation>Carga media</translation>
        </message>
        <message>
            <source>Network</source>
            <translation>Red</translation>
        </message>
        <message>
            <source>Disks</source>
            <translation>Discos</translation>
        </message>
        <message>
            <source>Temperatures</source>
            <translation>Temperaturas</translation>
        </message>
        <message>
            <source>All interfaces</source>
            <translation>Todas las interfaces</translation>
        </message>
        <message>
            <source>All disks</source>
            <translation>Todos los discos</translation>
        </message>
        <message>
            <source>Filesystems</source>
            <translation>Sistemas de archivos</translation>
        </message>
        <message>
            <source>System</source>
            <translation>Sistema</translation>
        </message>
        <message>
            <source>CPU time Tidewatch spent reading the system for the last sample</source>
            <translation>Tiempo de CPU que Tidewatch dedicó a leer el sistema en la última muestra</translation>
        </message>
        <message>
            <source>Up for</source>
            <translation>Activo desde hace</translation>
        </message>
        <message>
            <source>Processes</source>
            <translation>Procesos</translation>
        </message>
        <message>
            <source>Threads</source>
            <translation>Hilos</translation>
        </message>
        <message>
            <source>Context switches</source>
            <translation>Cambios de contexto</translation>
        </message>
        <message>
            <source>Sampling cost</source>
            <translation>Coste del muestreo</translation>
        </message>
        <message>
            <source>Total</source>
            <translation>Total</translation>
        </message>
        <message>
            <source>I/O wait</source>
            <translation>Espera de E/S</translation>
        </message>
        <message>
            <source>Swap</source>
            <translation>Intercambio</translation>
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
            <translation>Recibido</translation>
        </message>
        <message>
            <source>Sent</source>
            <translation>Enviado</translation>
        </message>
        <message>
            <source>Read</source>
            <translation>Leído</translation>
        </message>
        <message>
            <source>Written</source>
            <translation>Escrito</translation>
        </message>
        <message>
            <source>%1 of %2</source>
            <translation>%1 de %2</translation>
        </message>
        <message numerus="yes">
            <source>%1 on %n CPU(s)</source>
            <translation><numerusform>%1 en %n CPU</numerusform><numerusform>%1 en %n CPU</numerusform></translation>
        </message>
        <message>
            <source>R %1&amp;nbsp;&amp;nbsp;W %2</source>
            <translation>L %1&amp;nbsp;&amp;nbsp;E %2</translation>
        </message>
        <message>
            <source>%1 d %2 h</source>
            <translation>%1 d %2 h</translation>
        </message>
        <message>
            <source>%1 h %2 min</source>
            <translation>%1 h %2 min</translation>
        </message>
        <message>
            <source>%1 ms CPU</source>
            <translation>%1 ms de CPU</translation>
        </message>
        <message>
            <source>max %1</source>
            <translation>máx. %1</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>Cargando…</translation>
        </message>
        <message>
            <source>History unavailable: %1</source>
            <translation>Historial no disponible: %1</translation>
        </message>
        <message>
            <source>No data in this range</source>
            <translation>No hay datos en este intervalo</translation>
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
            <translation>Nombre</translation>
        </message>
        <message>
            <source>CPU</source>
            <translation>CPU</translation>
        </message>
        <message>
            <source>Memory</source>
            <translation>Memoria</translation>
        </message>
    </context>
    <context>
        <name>tidewatch::QrCodeDialog</name>
        <message>
            <source>Feed QR code</source>
            <translation>Código QR de la fuente</translation>
        </message>
        <message>
            <source>This address is only reachable from this computer. To open the dashboard on a phone, set the bind address to this computer's network address in Settings.</source>
            <translation>Esta dirección solo es accesible desde este equipo. Para abrir el panel en un móvil, establezca en Configuración la dirección de red de este equipo como dirección de escucha.</translation>
        </message>
        <message>
            <source>This link signs one browser in: it works once, within 5 minutes. For another device, make a new link.</source>
            <translation>Este enlace inicia sesión en un solo navegador: sirve una vez, en los próximos 5 minutos. Para otro dispositivo, cree un enlace nuevo.</translation>
        </message>
        <message>
            <source>New link</source>
            <translation>Enlace nuevo</translation>
        </message>
    </context>
    <context>
        <name>tidewatch::SettingsDialog</name>
        <message>
            <source>Follow the system</source>
            <translation>Seguir al sistema</translation>
        </message>
        <message>
            <source>Light</source>
            <translation>Claro</translation>
        </message>
        <message>
            <source>Dark</source>
            <translation>Oscuro</translation>
        </message>
        <message>
            <source>System language</source>
            <translation>Idioma del sistema</translation>
        </message>
        <message>
            <source>"%1" is not an IP address. Use 127.0.0.1 for this computer only, or 0.0.0.0 for every network.</source>
            <translation>«%1» no es una dirección IP. Use 127.0.0.1 solo para este equipo, o 0.0.0.0 para todas las redes.</translation>
        </message>
        <message>
            <source>"%1" is not a valid port. Enter a whole number from 1 to 65535 (or 0 for any free port).</source>
            <translation>«%1» no es un puerto válido. Introduzca un número entero de 1 a 65535 (o 0 para cualquier puerto libre).</translation>
        </message>
        <message>
            <source>Show</source>
            <translation>Mostrar</translation>
        </message>
        <message>
            <source>Hide</source>
            <translation>Ocultar</translation>
        </message>
        <message>
            <source>Regenerate the access token?</source>
            <translation>¿Regenerar el token de acceso?</translation>
        </message>
        <message>
            <source>Browsers signed in with the current token must sign in again, with the new token or a new QR code.</source>
            <translation>Los navegadores que iniciaron sesión con el token actual deberán volver a hacerlo, con el token nuevo o un código QR nuevo.</translation>
        </message>
        <message>
            <source>Regenerate</source>
            <translation>Regenerar</translation>
        </message>
    </context>
    <context>
        <name>tidewatch::TimeTable</name>
        <message>
            <source>Cannot write %1: %2</source>
            <translation>No se puede escribir %1: %2</translation>
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
            <translation>Tidewatch — CPU %1, memoria %2</translation>
        </message>
    </context>
</TS>
