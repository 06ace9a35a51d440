# Del data med en fil
exchange-title = Med en fil
exchange-help = Intet netværk? Flyt nyt med en fil: gem en fil her, og åbn den på den anden enhed. Gør det begge veje.
exchange-export = Gem fil med data
exchange-exported = Filen er gemt her:
exchange-exported-detail = Dokumenter: { $documents }. Størrelse: { $kb } kB.
exchange-import = Åbn fil fra en anden enhed
exchange-imported = Data hentet. Opdaterede dokumenter: { $documents }.
exchange-imported-coordinator = Bekræftede medlemmer: { $members }. Belønninger: { $rewards }. Over loftet: { $capped }.
error-sync-not-a-file = Filen er ikke en Nabo-datafil.
error-sync-too-new = Filen er lavet af en nyere Nabo. Opdater appen.
error-sync-damaged = Filen er beskadiget. Intet er ændret.
error-sync-other-community = Filen er fra et andet boligområde. Intet er ændret.
