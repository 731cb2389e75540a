using Curation.DataGen.Model;
using Curation.DataGen.Text;

namespace Curation.DataGen.Content;

/// <summary>Translation between English and French, Spanish or German, from a hand-checked sentence bank.</summary>
internal sealed class Translations : IConversationSource
{
    private static readonly string[] Languages = ["French", "Spanish", "German"];

    /// <summary>English, French, Spanish, German.</summary>
    private static readonly string[][] Bank =
    [
        ["The meeting has been moved to Thursday afternoon.", "La réunion a été déplacée à jeudi après-midi.", "La reunión se ha trasladado al jueves por la tarde.", "Das Meeting wurde auf Donnerstagnachmittag verschoben."],
        ["Please restart the router and try again.", "Veuillez redémarrer le routeur et réessayer.", "Por favor, reinicie el router e inténtelo de nuevo.", "Bitte starten Sie den Router neu und versuchen Sie es erneut."],
        ["Your order will arrive within three business days.", "Votre commande arrivera dans un délai de trois jours ouvrables.", "Su pedido llegará en un plazo de tres días hábiles.", "Ihre Bestellung wird innerhalb von drei Werktagen eintreffen."],
        ["Where is the nearest train station?", "Où se trouve la gare la plus proche ?", "¿Dónde está la estación de tren más cercana?", "Wo ist der nächste Bahnhof?"],
        ["I would like to book a table for four people at eight o'clock.", "Je voudrais réserver une table pour quatre personnes à vingt heures.", "Me gustaría reservar una mesa para cuatro personas a las ocho.", "Ich möchte einen Tisch für vier Personen um acht Uhr reservieren."],
        ["The password must contain at least twelve characters.", "Le mot de passe doit contenir au moins douze caractères.", "La contraseña debe contener al menos doce caracteres.", "Das Passwort muss mindestens zwölf Zeichen enthalten."],
        ["Thank you for your patience while we fix the problem.", "Merci de votre patience pendant que nous résolvons le problème.", "Gracias por su paciencia mientras solucionamos el problema.", "Vielen Dank für Ihre Geduld, während wir das Problem beheben."],
        ["The museum is closed on Mondays.", "Le musée est fermé le lundi.", "El museo cierra los lunes.", "Das Museum ist montags geschlossen."],
        ["Can you send me the report by Friday?", "Pouvez-vous m'envoyer le rapport d'ici vendredi ?", "¿Puede enviarme el informe antes del viernes?", "Können Sie mir den Bericht bis Freitag schicken?"],
        ["It is going to rain tomorrow, so take an umbrella.", "Il va pleuvoir demain, alors prends un parapluie.", "Mañana va a llover, así que lleva un paraguas.", "Morgen wird es regnen, also nimm einen Regenschirm mit."],
        ["The update fixes several security vulnerabilities.", "La mise à jour corrige plusieurs failles de sécurité.", "La actualización corrige varias vulnerabilidades de seguridad.", "Das Update behebt mehrere Sicherheitslücken."],
        ["We are looking for an experienced software engineer.", "Nous recherchons un ingénieur logiciel expérimenté.", "Buscamos un ingeniero de software con experiencia.", "Wir suchen einen erfahrenen Softwareentwickler."],
        ["The coffee shop on the corner makes excellent croissants.", "Le café du coin fait d'excellents croissants.", "La cafetería de la esquina hace unos cruasanes excelentes.", "Das Café an der Ecke macht ausgezeichnete Croissants."],
        ["Please do not reply to this automatic message.", "Merci de ne pas répondre à ce message automatique.", "Por favor, no responda a este mensaje automático.", "Bitte antworten Sie nicht auf diese automatische Nachricht."],
        ["My flight was cancelled and I need a hotel for tonight.", "Mon vol a été annulé et j'ai besoin d'un hôtel pour ce soir.", "Mi vuelo ha sido cancelado y necesito un hotel para esta noche.", "Mein Flug wurde gestrichen und ich brauche ein Hotel für heute Nacht."],
        ["The children are playing in the garden.", "Les enfants jouent dans le jardin.", "Los niños están jugando en el jardín.", "Die Kinder spielen im Garten."],
        ["How much does a ticket to the city centre cost?", "Combien coûte un billet pour le centre-ville ?", "¿Cuánto cuesta un billete al centro de la ciudad?", "Wie viel kostet eine Fahrkarte ins Stadtzentrum?"],
        ["The library offers free courses for beginners.", "La bibliothèque propose des cours gratuits pour débutants.", "La biblioteca ofrece cursos gratuitos para principiantes.", "Die Bibliothek bietet kostenlose Kurse für Anfänger an."],
        ["I forgot my keys at the office.", "J'ai oublié mes clés au bureau.", "Me olvidé las llaves en la oficina.", "Ich habe meine Schlüssel im Büro vergessen."],
        ["Our team will contact you within 24 hours.", "Notre équipe vous contactera dans les 24 heures.", "Nuestro equipo se pondrá en contacto con usted en un plazo de 24 horas.", "Unser Team wird sich innerhalb von 24 Stunden bei Ihnen melden."],
        ["The river flooded after three days of heavy rain.", "La rivière a débordé après trois jours de fortes pluies.", "El río se desbordó después de tres días de lluvias intensas.", "Der Fluss trat nach drei Tagen Starkregen über die Ufer."],
        ["She has been learning Japanese for two years.", "Elle apprend le japonais depuis deux ans.", "Lleva dos años aprendiendo japonés.", "Sie lernt seit zwei Jahren Japanisch."],
        ["Please keep your seatbelt fastened during the flight.", "Veuillez garder votre ceinture attachée pendant le vol.", "Por favor, mantenga el cinturón abrochado durante el vuelo.", "Bitte lassen Sie Ihren Sicherheitsgurt während des Fluges angelegt."],
        ["The file is too large to upload.", "Le fichier est trop volumineux pour être envoyé.", "El archivo es demasiado grande para subirlo.", "Die Datei ist zu groß zum Hochladen."],
        ["We celebrated my grandmother's ninetieth birthday.", "Nous avons fêté les quatre-vingt-dix ans de ma grand-mère.", "Celebramos los noventa años de mi abuela.", "Wir haben den neunzigsten Geburtstag meiner Großmutter gefeiert."],
        ["The bakery opens at seven in the morning.", "La boulangerie ouvre à sept heures du matin.", "La panadería abre a las siete de la mañana.", "Die Bäckerei öffnet um sieben Uhr morgens."],
        ["Could you speak a little more slowly, please?", "Pourriez-vous parler un peu plus lentement, s'il vous plaît ?", "¿Podría hablar un poco más despacio, por favor?", "Könnten Sie bitte etwas langsamer sprechen?"],
        ["The new version is faster and uses less memory.", "La nouvelle version est plus rapide et consomme moins de mémoire.", "La nueva versión es más rápida y usa menos memoria.", "Die neue Version ist schneller und verbraucht weniger Speicher."],
        ["Don't forget to water the plants while I'm away.", "N'oublie pas d'arroser les plantes pendant mon absence.", "No olvides regar las plantas mientras estoy fuera.", "Vergiss nicht, die Pflanzen zu gießen, während ich weg bin."],
        ["The invoice is attached to this email.", "La facture est jointe à cet e-mail.", "La factura está adjunta a este correo electrónico.", "Die Rechnung ist dieser E-Mail beigefügt."],
        ["Our hotel room had a beautiful view of the sea.", "Notre chambre d'hôtel avait une belle vue sur la mer.", "Nuestra habitación de hotel tenía una vista preciosa al mar.", "Unser Hotelzimmer hatte einen wunderschönen Blick aufs Meer."],
        ["The price includes breakfast and free parking.", "Le prix comprend le petit-déjeuner et le parking gratuit.", "El precio incluye el desayuno y el aparcamiento gratuito.", "Im Preis sind das Frühstück und kostenloses Parken enthalten."],
        ["I'm sorry, but the item you ordered is out of stock.", "Je suis désolé, mais l'article que vous avez commandé est en rupture de stock.", "Lo siento, pero el artículo que pidió está agotado.", "Es tut mir leid, aber der von Ihnen bestellte Artikel ist nicht vorrätig."],
        ["Turn left at the second traffic light.", "Tournez à gauche au deuxième feu.", "Gire a la izquierda en el segundo semáforo.", "Biegen Sie an der zweiten Ampel links ab."],
        ["The conference will take place in Lisbon next spring.", "La conférence aura lieu à Lisbonne au printemps prochain.", "La conferencia se celebrará en Lisboa la próxima primavera.", "Die Konferenz findet im nächsten Frühjahr in Lissabon statt."],
        ["He reads the newspaper every morning with his coffee.", "Il lit le journal tous les matins en buvant son café.", "Lee el periódico todas las mañanas con su café.", "Er liest jeden Morgen bei seinem Kaffee die Zeitung."],
        ["The battery lasts about ten hours on a single charge.", "La batterie dure environ dix heures avec une seule charge.", "La batería dura unas diez horas con una sola carga.", "Der Akku hält mit einer Ladung etwa zehn Stunden."],
        ["We need to finish the project before the end of the month.", "Nous devons terminer le projet avant la fin du mois.", "Tenemos que terminar el proyecto antes de fin de mes.", "Wir müssen das Projekt vor Ende des Monats abschließen."],
        ["The streets were quiet early on Sunday morning.", "Les rues étaient calmes tôt le dimanche matin.", "Las calles estaban tranquilas el domingo por la mañana temprano.", "Am frühen Sonntagmorgen waren die Straßen ruhig."],
        ["Please confirm your email address to activate your account.", "Veuillez confirmer votre adresse e-mail pour activer votre compte.", "Por favor, confirme su dirección de correo electrónico para activar su cuenta.", "Bitte bestätigen Sie Ihre E-Mail-Adresse, um Ihr Konto zu aktivieren."],
    ];

    private readonly List<(int Sentence, int Language)> _order = [];
    private int _next;

    public Translations(DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (var s = 0; s < Bank.Length; s++)
        {
            for (var l = 1; l <= Languages.Length; l++)
            {
                _order.Add((s, l));
            }
        }

        rng.Shuffle(_order);
    }

    public Conversation Next(DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var (sentence, language) = _order[_next++ % _order.Count];
        var name = Languages[language - 1];
        var toEnglish = rng.Chance(0.3);
        var source = toEnglish ? Bank[sentence][language] : Bank[sentence][0];
        var target = toEnglish ? Bank[sentence][0] : Bank[sentence][language];
        var instruction = toEnglish
            ? rng.Next(3) switch
            {
                0 => $"Translate this {name} sentence into English.",
                1 => "What does this mean in English?",
                _ => $"Translate from {name} to English:",
            }
            : rng.Next(4) switch
            {
                0 => $"Translate into {name}.",
                1 => $"Translate the following sentence to {name}:",
                2 => $"How would you say this in {name}?",
                _ => $"Please translate this into {name} for a customer message.",
            };
        return new Conversation { Turns = [Turn.User(instruction), Turn.Assistant(target)], Input = source, Category = "translation" };
    }
}
