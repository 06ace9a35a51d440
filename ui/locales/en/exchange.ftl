# Sharing data by file
exchange-title = With a file
exchange-help = No network? Move what is new with a file: save a file here and open it on the other device. Do it both ways.
exchange-export = Save data file
exchange-exported = The file is saved here:
exchange-exported-detail = Documents: { $documents }. Size: { $kb } kB.
exchange-import = Open a file from another device
exchange-imported = Data received. Documents updated: { $documents }.
exchange-imported-coordinator = Members confirmed: { $members }. Rewards: { $rewards }. Over the limit: { $capped }.
error-sync-not-a-file = The file is not a Nabo data file.
error-sync-too-new = The file was made by a newer Nabo. Update the app.
error-sync-damaged = The file is damaged. Nothing was changed.
error-sync-other-community = The file is from another neighbourhood. Nothing was changed.
