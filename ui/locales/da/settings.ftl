# Indstillinger og profil
settings-title = Indstillinger
settings-you = Dig
settings-name-help = Dit navn, som medarbejderne har bekræftet det. Bed en medarbejder, hvis det skal ændres.
settings-save-name = Gem navn
settings-name-saved = Dit navn er gemt.
settings-role = Rolle: { $role }
settings-language = Sprog
settings-community = Boligområde
settings-demo-help = Demo-området er kun til at prøve Nabo. Forlader du det, kan du oprette eller blive medlem af dit rigtige boligområde.
settings-leave = Forlad boligområdet
settings-leave-title = Forlad boligområdet?
settings-leave-confirm = Alt om boligområdet slettes fra denne telefon: dine point, din historik og dine tjek-ind. Du skal have en ny invitation for at komme tilbage. Det, beboerhuset har fået ved synkronisering, bliver der.
settings-leave-confirm-coordinator = Alt om boligområdet slettes fra denne enhed, også dine invitationer. Er du den eneste medarbejder, kan ingen andre styre boligområdet bagefter. Det, andre enheder har fået ved synkronisering, bliver der.
settings-leave-demo = Forlad demoen
settings-leave-demo-title = Forlad demoen?
settings-leave-demo-confirm = Demo-området slettes fra denne enhed. Bagefter kan du oprette eller blive medlem af dit rigtige boligområde.
settings-device = Denne enhed
settings-device-help = Enhedens kode. En medarbejder kan bede om den for at finde dig på listen.
settings-help = Hjælp
help-checkin-title = Sådan tjekker du ind
help-checkin = Til en aktivitet viser medarbejderen en QR-kode. Tryk på Tjek ind, og tag et billede af koden. Koden skifter hvert halve minut, så den skal være ny.
help-points-title = Sådan får du point
help-points = Når du har tjekket ind, venter pointene. Synkronisér i beboerhuset, så får du dem. Du får højst point én gang om dagen for hver aktivitet.
help-sync-title = Synkronisering
help-sync = I beboerhuset står en computer, som din telefon kan udveksle data med over det lokale netværk. Tilføj den én gang under Synk med dens kode eller et billede af dens QR-kode. Derefter trykker du på Synkronisér nu.
help-privacy-title = Dine data
help-privacy = Dine data ligger på din telefon og hos beboerhuset. Andre beboere kan ikke se dine tjek-ind eller point.
settings-about = Om Nabo
settings-version = Nabo version { $version }
settings-about-text = Nabo er fri software (AGPL-3.0). Den virker uden internet og gemmer alt på enheden.
settings-text-size = Tekststørrelse
settings-text-size-n = { $percent ->
    [100] Normal (100 %)
   *[other] { $percent } %
}
